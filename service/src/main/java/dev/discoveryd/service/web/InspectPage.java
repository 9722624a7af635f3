package dev.discoveryd.service.web;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.DomainException;
import dev.discoveryd.service.state.ClusterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * /inspect?clusterID=...[&page=N]: one cluster's affiliates with their opaque data and endpoints as hex, {@link #PER_PAGE}
 * per page (a full cluster on one page was 8.8 MB). Everything echoed is escaped.
 */
final class InspectPage implements Handler<RoutingContext> {
    /** About 280 KB of HTML at most: 32 affiliates of 2 KB data and 64 endpoints, as hex. */
    static final int PER_PAGE = 32;

    private final ClusterRegistry registry;

    InspectPage(ClusterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String clusterId = ctx.request().getParam("clusterID");
        if (clusterId == null || clusterId.isEmpty()) {
            Html.send(ctx.response(), 200, Html.page("Inspect a cluster", form("") + "<p>Enter a cluster ID.</p>"));
            return;
        }
        List<Affiliate> affiliates;
        try {
            affiliates = registry.list(clusterId);
        } catch (DomainException e) {
            Html.send(ctx.response(), 400, Html.page("Inspect a cluster",
                    form(clusterId) + "<p id=\"error\">" + Html.escape(e.getMessage()) + "</p>"));
            return;
        }
        int pages = Math.max(1, (affiliates.size() + PER_PAGE - 1) / PER_PAGE);
        int page = page(ctx.request().getParam("page"), pages);
        long now = registry.clock().millis();
        StringBuilder body = new StringBuilder(form(clusterId));
        body.append("<h1>Cluster <code id=\"cluster\">").append(Html.escape(clusterId)).append("</code></h1>\n");
        body.append("<p id=\"count\">").append(affiliates.size()).append(affiliates.size() == 1 ? " affiliate" : " affiliates")
                .append(". Data and endpoints are encrypted by the cluster; this service cannot read them.</p>\n");
        if (!affiliates.isEmpty()) {
            body.append("<table id=\"affiliates\"><tr><th>Affiliate</th><th>Data</th><th>Endpoints</th><th>Expires</th></tr>\n");
            int from = (page - 1) * PER_PAGE;
            for (Affiliate a : affiliates.subList(from, Math.min(affiliates.size(), from + PER_PAGE))) {
                row(body, a, now);
            }
            body.append("</table>\n");
        }
        if (pages > 1) {
            pager(body, clusterId, page, pages);
        }
        Html.send(ctx.response(), 200, Html.page("Cluster " + clusterId, body.toString()));
    }

    private static int page(String param, int pages) {
        if (param == null) {
            return 1;
        }
        try {
            return Math.max(1, Math.min(pages, Integer.parseInt(param.trim())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void pager(StringBuilder body, String clusterId, int page, int pages) {
        String base = "/inspect?clusterID=" + Html.escape(URLEncoder.encode(clusterId, StandardCharsets.UTF_8)) + "&amp;page=";
        body.append("<p id=\"pages\">Page ").append(page).append(" of ").append(pages).append(" (")
                .append(PER_PAGE).append(" affiliates per page)");
        if (page > 1) {
            body.append(" <a id=\"previous\" href=\"").append(base).append(page - 1).append("\">previous</a>");
        }
        if (page < pages) {
            body.append(" <a id=\"next\" href=\"").append(base).append(page + 1).append("\">next</a>");
        }
        body.append("</p>\n");
    }

    private static void row(StringBuilder body, Affiliate a, long now) {
        body.append("<tr class=\"affiliate\"><td class=\"id\"><code>").append(Html.escape(a.id())).append("</code></td>");
        body.append("<td class=\"hex data\">").append(Html.hex(a.data())).append("</td><td class=\"hex endpoints\">");
        for (int i = 0; i < a.endpointCount(); i++) {
            body.append(i == 0 ? "" : "<br>").append(Html.hex(a.endpoint(i)));
        }
        body.append("</td><td>").append(Html.escape(Instant.ofEpochMilli(a.expiresAt()).toString()))
                .append(" (in ").append(Math.max(0, (a.expiresAt() - now) / 1000)).append(" s)</td></tr>\n");
    }

    private static String form(String clusterId) {
        return "<form method=\"get\" action=\"/inspect\"><label for=\"clusterID\">Cluster ID</label> "
                + "<input id=\"clusterID\" name=\"clusterID\" size=\"50\" maxlength=\"256\" value=\""
                + Html.escape(clusterId) + "\"> <button type=\"submit\" id=\"inspect\">Inspect</button>"
                + " <a href=\"/\">about this service</a></form>\n";
    }
}
