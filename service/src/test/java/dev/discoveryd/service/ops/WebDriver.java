package dev.discoveryd.service.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver HTTP API: enough to load pages, type, click and read
 * the DOM. Everything stays on 127.0.0.1.
 */
final class WebDriver implements AutoCloseable {
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final String base;
    private final String session;

    WebDriver(Path profileDir, Path log) throws Exception {
        Path chromium = SystemTools.require("Chromium", "chromium", List.of("chromium", "/usr/bin/chromium"));
        Path chromedriver = SystemTools.require("chromedriver", "chromium-driver", List.of("chromedriver", "/usr/bin/chromedriver"));
        int port = SystemTools.freePort();
        driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        base = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> send("GET", "/status", null).getJsonObject("value").getBoolean("ready"));
        JsonArray args = new JsonArray(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profileDir, "--window-size=1200,900"));
        JsonObject caps = new JsonObject().put("capabilities", new JsonObject().put("alwaysMatch", new JsonObject()
                .put("browserName", "chrome")
                .put("goog:chromeOptions", new JsonObject().put("binary", chromium.toString()).put("args", args))));
        session = send("POST", "/session", caps).getJsonObject("value").getString("sessionId");
    }

    void open(String url) {
        command("POST", "/url", new JsonObject().put("url", url));
    }

    String find(String css) {
        JsonObject found = command("POST", "/element", new JsonObject().put("using", "css selector").put("value", css))
                .getJsonObject("value");
        String id = found.getString(ELEMENT);
        if (id == null) {
            throw new AssertionError("no element reference for " + css + " in " + found.encode());
        }
        return id;
    }

    void type(String element, String text) {
        command("POST", "/element/" + element + "/value", new JsonObject().put("text", text));
    }

    void click(String element) {
        command("POST", "/element/" + element + "/click", new JsonObject());
    }

    String url() {
        return command("GET", "/url", null).getString("value");
    }

    /** Runs a script in the page and returns what it returns. */
    Object script(String js) {
        return command("POST", "/execute/sync", new JsonObject().put("script", js).put("args", new JsonArray())).getValue("value");
    }

    byte[] screenshotPng() {
        return Base64.getDecoder().decode(command("GET", "/screenshot", null).getString("value"));
    }

    private JsonObject command(String method, String path, JsonObject body) {
        try {
            return send(method, "/session/" + session + path, body);
        } catch (Exception e) {
            throw new AssertionError("WebDriver " + method + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    private JsonObject send(String method, String path, JsonObject body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject json = new JsonObject(r.body());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + json.encode());
        }
        return json;
    }

    @Override
    public void close() throws Exception {
        try {
            if (session != null) {
                send("DELETE", "/session/" + session, null);
            }
        } finally {
            SystemTools.stop(driver);
        }
    }
}
