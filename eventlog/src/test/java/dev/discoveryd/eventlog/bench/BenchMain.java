package dev.discoveryd.eventlog.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the event-log benchmarks (never part of {@code mvn verify}: surefire runs only *Test/*Tests classes). From
 * /work/main (or the repository root):
 *
 * <pre>
 * mvn -q -pl eventlog -am test-compile
 * mvn -q -pl eventlog dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
 *   --add-opens=java.base/java.lang=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
 *   --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED -Dchronicle.analytics.disable=true \
 *   -Dchronicle.announcer.disable=true \
 *   -cp eventlog/target/test-classes:eventlog/target/classes:$(cat eventlog/target/bench.cp) \
 *   dev.discoveryd.eventlog.bench.BenchMain [regex]
 * </pre>
 *
 * The forked benchmark JVMs get the same JVM flags as this one. Temp directories go to java.io.tmpdir.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        List<String> jvmFlags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("--sun-misc"))
                .collect(Collectors.toList());
        Options options = new OptionsBuilder()
                .include(args.length > 0 ? args[0] : "dev.discoveryd.eventlog.bench.")
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(3))
                .jvmArgsAppend(jvmFlags.toArray(new String[0]))
                .build();
        new Runner(options).run();
    }
}
