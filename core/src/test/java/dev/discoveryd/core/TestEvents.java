package dev.discoveryd.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/** Random events from small id pools (so events interact) and a content-based text form for comparing them. */
public final class TestEvents {
    private final Random random;
    private final String prefix;
    private long time = 1_780_000_000_000L;

    public TestEvents(long seed) {
        this(seed, "c");
    }

    /** @param prefix prefix of cluster ids; use a random one when ids must be unique in files */
    public TestEvents(long seed, String prefix) {
        this.random = new Random(seed);
        this.prefix = prefix;
    }

    public Event next() {
        time += random.nextInt(5000);
        String cluster = prefix + "-cluster-" + random.nextInt(3);
        String affiliate = "affiliate-" + random.nextInt(5);
        switch (random.nextInt(6)) {
            case 0:
                return new Event.AffiliateDeleted(cluster, affiliate, time);
            case 1:
                return new Event.AffiliateExpired(cluster, affiliate, time);
            case 2:
                return new Event.EndpointsExpired(cluster, affiliate, time, 1 + random.nextInt(3));
            default:
                List<byte[]> endpoints = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    endpoints.add(bytes(4 + random.nextInt(28)));
                }
                byte[] data = random.nextInt(4) == 0 ? null : bytes(1 + random.nextInt(300));
                return new Event.AffiliateUpdated(cluster, affiliate, time, data, endpoints, time + random.nextInt(1_800_000));
        }
    }

    public List<Event> next(int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(next());
        }
        return events;
    }

    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Content of an event as text (records compare arrays by reference). */
    public static String text(Event e) {
        if (e instanceof Event.AffiliateUpdated u) {
            return "update " + u.clusterId() + "/" + u.affiliateId() + " @" + u.time() + " data="
                    + (u.data() == null ? "null" : Arrays.toString(u.data())) + " endpoints="
                    + u.endpoints().stream().map(Arrays::toString).collect(Collectors.joining(",")) + " exp=" + u.expiresAt();
        }
        return e.toString();
    }

    public static List<String> texts(List<Event> events) {
        return events.stream().map(TestEvents::text).collect(Collectors.toList());
    }
}
