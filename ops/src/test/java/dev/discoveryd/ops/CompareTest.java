package dev.discoveryd.ops;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison reads the other benchmarks' own summary lines; these are lines they print. */
class CompareTest {
    @Test
    void readsRssPerAffiliateFromMemoryBenchsSummaryLineWithOrWithoutTheAnonAndFileSplit() {
        Matcher plain = Compare.RSS_PER_AFFILIATE.matcher("memory     idle CPU   399 ms per minute, idle RSS 111.9 MiB;"
                + " 10000 affiliates: RSS  158.4 MiB =  4870 bytes per affiliate (loaded in 28.2 s; GC 10 pauses, max 74.3"
                + " ms, total 405 ms); no fan-out; GC during fan-out: 0 pauses, max 0.0 ms, total 0 ms");
        assertThat(plain.find()).isTrue();
        assertThat(plain.group(1)).isEqualTo("memory");
        assertThat(plain.group(2)).isEqualTo("4870");
        Matcher split = Compare.RSS_PER_AFFILIATE.matcher("periodic   idle CPU    40 ms per minute (vert.x-eventloop 20),"
                + " idle RSS  70.2 MiB (anon 50.1, file 20.1); 100000 affiliates: RSS  210.0 MiB (anon 180.0, file 30.0) ="
                + "  1468 bytes per affiliate (anon 1363, file 104; loaded in 4.1 s; GC 3 pauses, max 9.0 ms, total 20 ms);"
                + " no fan-out; GC during fan-out: 0 pauses, max 0.0 ms, total 0 ms");
        assertThat(split.find()).isTrue();
        assertThat(split.group(1)).isEqualTo("periodic");
        assertThat(split.group(2)).isEqualTo("1468");
    }

    @Test
    void readsEitherRestartModesFigures() {
        Matcher inProcess = Compare.SECONDS.matcher("ready after restart from the snapshot: 1.31 s (3.2x faster than the full replay)");
        assertThat(inProcess.find()).isTrue();
        assertThat(inProcess.group(1)).isEqualTo("ready after restart from the snapshot");
        assertThat(inProcess.group(2)).isEqualTo("1.31");
        Matcher real = Compare.REAL_RESTART.matcher("jar        from snapshot   2480 ms, full replay  14100 ms: snapshot 5.7x faster");
        assertThat(real.find()).isTrue();
        assertThat(real.group(1)).isEqualTo("jar");
        assertThat(real.group(2)).isEqualTo("2480");
        assertThat(real.group(3)).isEqualTo("14100");
        assertThat(Compare.REAL_RESTART.matcher("round 1 jar snapshot  first full List   2480 ms").find()).isFalse();
    }

    @Test
    void eachJarReplacesTheLaunchsJarArgumentAndNamesItsColumns() {
        List<String> launch = List.of("env", "MALLOC_ARENA_MAX=2", "java", "-Xms32m", "-jar", "service/target/discoveryd.jar");
        assertThat(Compare.withJar(launch, "/tmp/before.jar"))
                .containsExactly("env", "MALLOC_ARENA_MAX=2", "java", "-Xms32m", "-jar", "/tmp/before.jar");
        assertThat(Compare.column("before", "periodic")).isEqualTo("before:periodic");
        assertThat(Compare.column("", "periodic")).isEqualTo("periodic");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Compare.withJar(List.of("java", "-cp", "x"), "a.jar"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
