package dev.discoveryd.service.web;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.DomainException;
import dev.discoveryd.service.state.ClusterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.List;

/** /inspect?clusterID=...: one cluster's affiliates with their opaque data and endpoints as hex. Everything echoed is escaped. */
final class InspectPage implements Handler<RoutingContext> {
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
        long now = registry.clock().millis();
        StringBuilder body = new StringBuilder(form(clusterId));
        body.append("<h1>Cluster <code id=\"cluster\">").append(Html.escape(clusterId)).append("</code></h1>\n");
        body.append("<p id=\"count\">").append(affiliates.size()).append(affiliates.size() == 1 ? " affiliate" : " affiliates")
                .append(". Data and endpoints are encrypted by the cluster; this service cannot read them.</p>\n");
        if (!affiliates.isEmpty()) {
            body.append("<table id=\"affiliates\"><tr><th>Affiliate</th><th>Data</th><th>Endpoints</th><th>Expires</th></tr>\n");
            for (Affiliate a : affiliates) {
                row(body, a, now);
            }
            body.append("</table>\n");
        }
        Html.send(ctx.response(), 200, Html.page("Cluster " + clusterId, body.toString()));
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
