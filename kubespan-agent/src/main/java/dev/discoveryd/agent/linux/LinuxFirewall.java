package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.DataPlaneException;
import dev.discoveryd.agent.port.Firewall;
import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.nodeclient.format.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * KubeSpan's nftables chains. Each apply reads what is installed ({@code nft -j list table}); only when its meaning
 * differs from the desired state does it send the whole ruleset as one {@code nft -f -} transaction, so repeating
 * an apply is free and a failed change leaves the previous rules in force.
 */
public final class LinuxFirewall implements Firewall {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxFirewall.class);

    private final HostCommands cmd;
    private final List<IpPrefix> directNetworks;
    private volatile int transactions;

    /** {@code directNetworks}: destinations never forced into the tunnel, even when a peer's allowed IPs cover them. */
    public LinuxFirewall(HostCommands cmd, List<IpPrefix> directNetworks) {
        this.cmd = cmd;
        this.directNetworks = List.copyOf(directNetworks);
    }

    @Override
    public void apply(FirewallState desired) throws DataPlaneException {
        try {
            NftInstalled now = read(desired.table());
            if (now.matches(desired, directNetworks)) {
                return;
            }
            now.problem().ifPresent(p -> LOG.warn("nftables chains in table {} were changed from outside ({}); "
                    + "replacing them", desired.table(), p));
            HostCommands.Result r = cmd.run(NftRuleset.render(desired, directNetworks), "nft", "-f", "-");
            if (!r.ok()) {
                throw new DataPlaneException("nft refused the KubeSpan ruleset (nothing changed): " + r.stderr());
            }
            transactions++;
            LOG.info("nftables: {} destinations forced into the tunnel{}", PrefixSet.minimal(
                    desired.markedDestinations()).size(), directNetworks.isEmpty() ? ""
                    : ", " + directNetworks.size() + " direct networks exempt");
        } catch (IOException e) {
            throw new DataPlaneException("nftables: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<FirewallState> installed(String table) throws DataPlaneException {
        try {
            NftInstalled now = read(table);
            if (now.problem().isPresent()) {
                throw new DataPlaneException("nftables chains in table " + table + " are not ours: "
                        + now.problem().get());
            }
            return now.state();
        } catch (IOException e) {
            throw new DataPlaneException("nftables: " + e.getMessage(), e);
        }
    }

    /** Destinations the installed chains exempt from the tunnel. */
    public List<IpPrefix> installedDirect(String table) throws DataPlaneException {
        try {
            return read(table).direct();
        } catch (IOException e) {
            throw new DataPlaneException("nftables: " + e.getMessage(), e);
        }
    }

    @Override
    public void tearDown(String table) throws DataPlaneException {
        try {
            NftInstalled now = read(table);
            if (!now.chainsPresent()) {
                return;
            }
            HostCommands.Result r = cmd.run(NftRuleset.renderTearDown(table, now.otherChains()), "nft", "-f", "-");
            if (!r.ok()) {
                throw new DataPlaneException("nft could not remove the KubeSpan chains: " + r.stderr());
            }
            LOG.info("nftables: removed KubeSpan chains from table inet {}", table);
        } catch (IOException e) {
            throw new DataPlaneException("nftables: " + e.getMessage(), e);
        }
    }

    /** How many ruleset transactions were sent (each apply that found a difference sends one). */
    public int transactions() {
        return transactions;
    }

    private NftInstalled read(String table) throws IOException {
        HostCommands.Result r = cmd.run(null, "nft", "-j", "list", "table", "inet", table);
        if (!r.ok()) {
            if (r.stderr().contains("No such file or directory")) {
                return NftInstalled.absent(false);
            }
            throw new IOException("nft -j list table inet " + table + " failed: " + r.stderr());
        }
        return NftInstalled.parse(table, r.stdout());
    }
}
