package dev.discoveryd.ops;

import java.util.ArrayList;
import java.util.List;

/** The few statistics the benchmarks report: medians of rounds and per-round ratios. */
final class Stats {
    private Stats() {
    }

    /** The median, NaN for no values. */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code these[i] / base[i]} for the rounds both have. */
    static List<Double> ratios(List<Double> these, List<Double> base) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(these.size(), base.size()); i++) {
            r.add(these.get(i) / base.get(i));
        }
        return r;
    }
}
