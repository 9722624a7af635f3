package dev.discoveryd.agent.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The AffiliateAdded/AffiliateRemoved events between two merged affiliate lists. */
public final class AffiliateChanges {
    private AffiliateChanges() {
    }

    public static List<AgentEvent> between(List<AffiliateSpec> before, List<AffiliateSpec> after, Instant now) {
        Set<String> old = before.stream().map(AffiliateSpec::nodeId).collect(Collectors.toSet());
        Set<String> next = after.stream().map(AffiliateSpec::nodeId).collect(Collectors.toSet());
        List<AgentEvent> events = new ArrayList<>();
        after.stream().filter(a -> !old.contains(a.nodeId())).forEach(a -> events.add(new AgentEvent(now,
                AgentEvent.AFFILIATE_ADDED, a.nodeId(), "affiliate " + a.nodeId() + " (" + a.hostname() + ") added")));
        before.stream().filter(a -> !next.contains(a.nodeId())).forEach(a -> events.add(new AgentEvent(now,
                AgentEvent.AFFILIATE_REMOVED, a.nodeId(), "affiliate " + a.nodeId() + " (" + a.hostname() + ") removed")));
        return events;
    }
}
