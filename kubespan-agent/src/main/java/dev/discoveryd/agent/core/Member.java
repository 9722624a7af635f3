package dev.discoveryd.agent.core;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/** Talos's Member (cl/member.go): an affiliate with a nodename, keyed by that nodename. */
public record Member(String id, String nodeId, List<InetAddress> addresses, String hostname, String machineType,
                     String operatingSystem, OptionalInt controlPlanePort) {
    public Member {
        addresses = List.copyOf(addresses);
    }

    /** Members of the local affiliate and the merged others; a later one with the same nodename wins. */
    public static List<Member> of(AffiliateSpec local, List<AffiliateSpec> others) {
        Map<String, Member> members = new TreeMap<>();
        List<AffiliateSpec> all = new ArrayList<>(others);
        all.add(0, local);
        for (AffiliateSpec a : all) {
            if (!a.nodename().isEmpty()) {
                members.put(a.nodename(), new Member(a.nodename(), a.nodeId(), a.addresses(), a.hostname(),
                        a.machineType(), a.operatingSystem(), a.controlPlanePort()));
            }
        }
        return List.copyOf(members.values());
    }
}
