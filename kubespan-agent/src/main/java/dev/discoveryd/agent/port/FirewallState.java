package dev.discoveryd.agent.port;

import dev.discoveryd.nodeclient.format.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * KubeSpan's packet marking (kubespan-facts.md B8): in nftables table {@code inet <table>}, packets not
 * already carrying {@code wireguardMark} (under {@code markMask}) whose destination is in
 * {@code markedDestinations} get {@code (mark & ~markMask) ^ forceMark}, in prerouting and output; locally
 * sent TCP SYNs to those destinations get their MSS clamped to {@code mssV4}/{@code mssV6} (0 = no clamp).
 * {@code markedDestinations} is sorted and minimal, KubeSpan ULAs already left out by the control plane.
 */
public record FirewallState(String table, int wireguardMark, int forceMark, int markMask,
                            List<IpPrefix> markedDestinations, int mssV4, int mssV6) {
    public static final String TALOS_TABLE = "talos";
    /** IP (20) + TCP (20) + options (12) for v4, IP (40) + TCP (20) + options (12) for v6. */
    public static final int MSS_OVERHEAD_V4 = 52;
    public static final int MSS_OVERHEAD_V6 = 72;

    public FirewallState {
        Objects.requireNonNull(table, "table");
        markedDestinations = List.copyOf(markedDestinations);
        if ((forceMark & ~markMask) != 0 || (wireguardMark & ~markMask) != 0) {
            throw new IllegalArgumentException("marks have bits outside the mask");
        }
        if (mssV4 < 0 || mssV6 < 0) {
            throw new IllegalArgumentException("MSS must not be negative");
        }
    }

    /** Talos's values for a link of this MTU. */
    public static FirewallState kubespan(List<IpPrefix> markedDestinations, int mtu) {
        return new FirewallState(TALOS_TABLE, LinkConfig.WIREGUARD_MARK, RoutingState.FORCE_MARK,
                RoutingState.MARK_MASK, markedDestinations, mtu - MSS_OVERHEAD_V4, mtu - MSS_OVERHEAD_V6);
    }
}
