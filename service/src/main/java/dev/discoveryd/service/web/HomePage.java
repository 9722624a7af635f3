package dev.discoveryd.service.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** What a person who finds this address in their traffic sees: what the service is, and that it cannot read the data. */
final class HomePage implements Handler<RoutingContext> {
    private static final String BODY = """
            <h1>Cluster discovery service</h1>
            <p>This server helps the machines of Kubernetes clusters running Talos Linux find each other, so that they can
            build an encrypted WireGuard mesh (KubeSpan) between them. It runs
            <a href="https://github.com/siderolabs/discovery-service">the discovery protocol</a> of Sidero Labs.</p>
            <p>Each machine sends its addresses here encrypted with its cluster's secret key, which this service never has:
            it stores and relays opaque bytes only and cannot read them. Entries expire unless machines refresh them.</p>
            <p>If you see traffic to this address from your network, a machine there is taking part in such a cluster.
            It is not an attack; to stop it, turn off cluster discovery in that machine's Talos configuration.</p>
            <h2>Inspect a cluster</h2>
            <p>Shows what this service holds for one cluster ID: opaque data and endpoints, as hex.</p>
            <form method="get" action="/inspect">
            <label for="clusterID">Cluster ID</label>
            <input id="clusterID" name="clusterID" size="50" maxlength="256" required>
            <button type="submit" id="inspect">Inspect</button>
            </form>
            <p><a href="/stats">Totals as JSON</a> &middot; <a href="/healthz">health</a> &middot;
            <a href="/readyz">readiness</a></p>
            """;
    private static final String PAGE = Html.page("discoveryd: cluster discovery service", BODY);

    @Override
    public void handle(RoutingContext ctx) {
        Html.send(ctx.response(), 200, PAGE);
    }
}
