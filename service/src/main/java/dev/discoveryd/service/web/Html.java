package dev.discoveryd.service.web;

import io.vertx.core.http.HttpServerResponse;

/** HTML output helpers: escaping of anything echoed, hex for opaque bytes, and the headers every page carries. */
final class Html {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Html() {
    }

    /** The text as HTML character data or attribute value: nothing in it can open a tag or end an attribute. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Sends a page; no scripts, no framing, no outside resources. */
    static void send(HttpServerResponse response, int status, String html) {
        response.setStatusCode(status)
                .putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("content-security-policy",
                        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "no-referrer")
                .end(html);
    }

    /** The common frame around a page body. */
    static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
                <title>%s</title>
                <style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.45}
                code,td.hex{font-family:monospace;word-break:break-all}table{border-collapse:collapse;width:100%%}
                td,th{border:1px solid #ccc;padding:.3em;vertical-align:top;text-align:left}</style></head>
                <body>
                %s
                </body></html>
                """.formatted(escape(title), body);
    }
}
