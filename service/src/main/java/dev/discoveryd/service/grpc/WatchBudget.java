package dev.discoveryd.service.grpc;

import dev.discoveryd.service.ratelimit.IpKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of Watch messages accepted for sending but not yet written to the network (the first snapshot included),
 * bounded per watcher, per client address and for the whole process. A watcher whose next message would pass its own
 * or its address's bound is refused (its caller ends it); when the process bound would be passed, the watchers
 * holding the most are evicted first, so a client that does not read pays before anyone else.
 */
public final class WatchBudget {
    /** Which bound a reservation would have passed. */
    public enum Verdict { OK, WATCHER, ADDRESS, PROCESS, CLOSED }

    private final long perWatcher;
    private final long perAddress;
    private final long total;
    private final AtomicLong held = new AtomicLong();
    private final Map<IpKey, Address> addresses = new ConcurrentHashMap<>();
    private final Set<Account> accounts = ConcurrentHashMap.newKeySet();
    private final Counter watcherOverflows;
    private final Counter addressOverflows;
    private final Counter processOverflows;

    public WatchBudget(long perWatcher, long perAddress, long total, MeterRegistry meters) {
        if (perWatcher < 1 || perAddress < 1 || total < 1) {
            throw new IllegalArgumentException("watch buffer bounds must be positive");
        }
        this.perWatcher = perWatcher;
        this.perAddress = perAddress;
        this.total = total;
        Gauge.builder("discovery.watch.unsent", held, AtomicLong::get).baseUnit("bytes")
                .description("bytes of Watch messages accepted and not yet written to the network").register(meters);
        watcherOverflows = overflows(meters, "watcher");
        addressOverflows = overflows(meters, "address");
        processOverflows = overflows(meters, "process");
    }

    private static Counter overflows(MeterRegistry meters, String limit) {
        return Counter.builder("discovery.watch.overflows").tag("limit", limit)
                .description("Watch streams ended because their unsent bytes passed a bound").register(meters);
    }

    /** Opens the account of one watcher of {@code ip}; {@code evict} ends it when the process bound picks it. */
    public Account open(byte[] ip, Runnable evict) {
        IpKey key = IpKey.of(ip);
        Address address = addresses.compute(key, (k, a) -> {
            Address got = a == null ? new Address() : a;
            got.refs++;
            return got;
        });
        Account account = new Account(key, address, evict);
        accounts.add(account);
        return account;
    }

    /**
     * Whether {@code bytes} more would fit the share of {@code ip} and the process right now: lets a Watch be refused
     * before its snapshot is even encoded, when the address already holds its share.
     */
    public boolean fits(byte[] ip, long bytes) {
        Address address = addresses.get(IpKey.of(ip));
        long mine = address == null ? 0 : address.bytes.get();
        if (mine + bytes > perAddress) {
            addressOverflows.increment();
            return false;
        }
        return true;
    }

    /** Unsent bytes of the whole process. */
    public long held() {
        return held.get();
    }

    public long perWatcher() {
        return perWatcher;
    }

    private Account largestBesides(Account self) {
        Account max = null;
        for (Account a : accounts) {
            if (a != self && (max == null || a.view > max.view)) {
                max = a;
            }
        }
        return max;
    }

    private static final class Address {
        final AtomicLong bytes = new AtomicLong();
        int refs; // changed inside addresses.compute only
    }

    /** One watcher's unsent bytes. Thread-safe. */
    public final class Account {
        private final IpKey key;
        private final Address address;
        private final Runnable evict;
        private long bytes; // guarded by this
        private boolean closed; // guarded by this
        private volatile long view; // for picking the largest without locking everyone

        private Account(IpKey key, Address address, Runnable evict) {
            this.key = key;
            this.address = address;
            this.evict = evict;
        }

        /** Counts {@code n} more unsent bytes; anything but OK means this watcher must end (and close the account). */
        public Verdict reserve(long n) {
            synchronized (this) {
                if (closed) {
                    return Verdict.CLOSED;
                }
                if (bytes + n > perWatcher) {
                    watcherOverflows.increment();
                    return Verdict.WATCHER;
                }
                if (address.bytes.addAndGet(n) > perAddress) {
                    address.bytes.addAndGet(-n);
                    addressOverflows.increment();
                    return Verdict.ADDRESS;
                }
                bytes += n;
                view = bytes;
            }
            // Over the process bound: evict the biggest holders until this one fits, or it is the biggest itself.
            long now = held.addAndGet(n);
            for (int tries = 0; now > total && tries < 64; tries++, now = held.get()) {
                // Among equals the older holder goes: it has had its chance to drain, the newcomer has not.
                Account victim = largestBesides(this);
                if (victim == null || victim.view < view) {
                    processOverflows.increment();
                    close(); // at once: this watcher's bytes must not count while its end is on its way
                    return Verdict.PROCESS;
                }
                if (victim.close()) {
                    processOverflows.increment();
                    victim.evict.run();
                }
            }
            return Verdict.OK;
        }

        /** {@code n} bytes were written (or dropped); no-op once closed. */
        public synchronized void release(long n) {
            if (closed) {
                return;
            }
            bytes -= n;
            view = bytes;
            address.bytes.addAndGet(-n);
            held.addAndGet(-n);
        }

        /** Gives back everything still counted; returns false when already closed. */
        public boolean close() {
            long gone;
            synchronized (this) {
                if (closed) {
                    return false;
                }
                closed = true;
                gone = bytes;
                bytes = 0;
                view = 0;
            }
            address.bytes.addAndGet(-gone);
            held.addAndGet(-gone);
            accounts.remove(this);
            addresses.computeIfPresent(key, (k, a) -> --a.refs == 0 ? null : a);
            return true;
        }
    }
}
