package io.asyncbridge.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.simulator.UpstreamSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load hold: the same separate processes as {@link ChaosIT}, without kills, under a steady mix of poll and callback
 * tasks (duplicated and early webhooks included) for several minutes. Every sample forces a full GC in each service
 * JVM and records the heap it still uses, and counts the entries of each service's store exactly, from its changelog
 * topic. Passes when every task ended once with its scenario's status, no upstream call was made twice, the heap
 * after GC did not grow over the run, in-flight state tracked the live tasks, and it went back to zero once the load
 * drained.
 *
 * <p>Not part of CI: runs only with {@code -Dsoak=true} ({@code -Dsoak.duration=PT5M -Dsoak.rate=40}).
 */
@EnabledIfSystemProperty(named = "soak", matches = "true")
class SoakIT {

    private static final Path JAR = Path.of(System.getProperty("bridge.jar", "target/bridge.jar")).toAbsolutePath();
    private static final Path FIGURES = Path.of("target", "reliability-figures.txt");
    /** How long callbacks keeps completed markers here, so the run can watch them expire. */
    private static final Duration RETENTION = Duration.ofSeconds(60);
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    /** One observation of the run. */
    record Sample(Duration at, long submitted, long completed, Map<String, Long> heap, Map<String, Long> rss,
            Map<String, Long> ingest, Map<String, Long> poller, Map<String, Long> callbacks) {

        long live() {
            return submitted - completed;
        }

        /** Store entries of tasks still under way: ingest's unfinished dispatches, poll tasks, waiting callbacks. */
        long inFlight() {
            return ingest.entrySet().stream().filter(e -> !e.getKey().equals("DONE")).mapToLong(Map.Entry::getValue).sum()
                    + poller.values().stream().mapToLong(Long::longValue).sum()
                    + callbacks.getOrDefault("WAITING_FOR_WEBHOOK", 0L);
        }

        String line() {
            return String.format("soak: %4ds submitted %6d completed %6d live %5d | in flight %5d (ingest %s, poller %s,"
                            + " callbacks %s) | heap after GC MiB %s | RSS MiB %s", at.toSeconds(), submitted, completed,
                    live(), inFlight(), ingest, poller, callbacks, mib(heap), mib(rss));
        }
    }

    @Test
    void memoryAndInFlightStateStaySteadyUnderSustainedLoad() throws Exception {
        Duration duration = Duration.parse(System.getProperty("soak.duration", "PT5M"));
        double rate = Double.parseDouble(System.getProperty("soak.rate", "40"));
        Duration every = Duration.parse(System.getProperty("soak.sampleEvery", "PT30S"));
        long seed = Long.getLong("soak.seed", new Random().nextLong());
        System.out.printf("soak: seed %d, %s at %.0f tasks/s, a sample every %ds%n", seed, duration, rate,
                every.toSeconds());
        Instant begin = Instant.now();
        try {
            run(new TaskMix(new Random(seed), "soak" + Long.toHexString(seed & 0xffff)), duration, rate, every, begin);
        } finally {
            BridgeProcesses.keepLogs(dir);
        }
    }

    private void run(TaskMix mix, Duration duration, double rate, Duration every, Instant begin) throws Exception {
        List<Sample> samples = new ArrayList<>();
        List<PlannedTask> plan = new ArrayList<>();
        try (UpstreamSimulator simulator = UpstreamSimulator.start(RunConfigs.simulator());
                BridgeProcesses bridge = BridgeProcesses.start(dir, JAR, simulator, RETENTION,
                        List.of("-Xmx384m", "-XX:+UseSerialGC"));
                LoadDriver load = new LoadDriver(bridge.bootstrapServers(), bridge.config().topics().requests());
                Ledger ledger = new Ledger(bridge.bootstrapServers(), bridge.config().topics().completions(),
                        bridge.config().topics().deadLetter());
                Probes probes = Probes.attach(bridge)) {
            Instant started = Instant.now();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            List<Throwable> samplerFailures = new ArrayList<>();
            sampler.scheduleWithFixedDelay(() -> {
                try {
                    Sample sample = probes.sample(Duration.between(started, Instant.now()), load.sent(), ledger);
                    System.out.println(sample.line());
                    synchronized (samples) {
                        samples.add(sample);
                    }
                } catch (Exception | AssertionError e) {
                    synchronized (samplerFailures) {
                        samplerFailures.add(e);
                    }
                }
            }, 0, every.toMillis(), TimeUnit.MILLISECONDS);

            load.startPacing();
            while (load.elapsed().compareTo(duration) < 0) {
                PlannedTask task = mix.next();
                plan.add(task);
                load.sendPaced(task, rate);
            }
            load.flush();
            int loadSamples;
            synchronized (samples) {
                loadSamples = samples.size();
            }
            sampler.shutdown();
            assertThat(sampler.awaitTermination(2, TimeUnit.MINUTES)).as("the sampler stopped").isTrue();
            assertThat(samplerFailures).as("sampling failures").isEmpty();

            Set<String> due = plan.stream().map(PlannedTask::taskId).collect(Collectors.toSet());
            boolean drained = ledger.awaitAll(due, 0, Duration.ofMinutes(5));
            ledger.readFor(Duration.ofSeconds(5));
            Sample drainedSample = probes.sample(Duration.between(started, Instant.now()), load.sent(), ledger);
            System.out.println(drainedSample.line() + "  <- load drained: " + drained);
            // completed markers are kept for RETENTION so duplicates are recognized; then they go too
            Instant forgotten = Instant.now().plus(RETENTION).plusSeconds(5);
            Instant giveUp = forgotten.plusSeconds(60);
            Sample end = drainedSample;
            while (Instant.now().isBefore(forgotten) || !end.callbacks().isEmpty() && Instant.now().isBefore(giveUp)) {
                ledger.readFor(Duration.ofSeconds(10)); // waiting out the retention while still watching for duplicates
                end = probes.sample(Duration.between(started, Instant.now()), load.sent(), ledger);
            }
            System.out.println(end.line() + "  <- after the completed markers' retention");

            Verdict verdict = Verdict.judge(plan, ledger, simulator.stats().webhookAttempts(), (from, to) -> false);
            long plannedCalls = plan.stream().mapToLong(PlannedTask::plannedCreateCalls).sum();
            List<Sample> load1;
            synchronized (samples) {
                load1 = List.copyOf(samples.subList(0, loadSamples));
            }
            String figures = figures(plan.size(), duration, rate, verdict, load1, drainedSample, end,
                    simulator.stats().createCalls(), plannedCalls, Duration.between(begin, Instant.now()));
            System.out.println(figures);
            Files.writeString(FIGURES, Instant.now() + " " + figures + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);

            List<String> errors = bridge.errorsLogged();
            errors.stream().limit(20).forEach(line -> System.out.println("soak: bridge error: " + line));
            assertThat(errors).as("ERRORs the bridge's own code logged").isEmpty();
            assertThat(verdict.lost()).as("lost").isEmpty();
            assertThat(verdict.duplicated()).as("duplicated").isEmpty();
            assertThat(verdict.wrongStatus()).as("wrong status").isEmpty();
            assertThat(verdict.unexplained()).as("dispatch_outcome_unknown without a crash").isEmpty();
            assertThat(verdict.badEvents()).as("bad events").isEmpty();
            assertThat(verdict.unreflected()).as("unreflected webhooks").isEmpty();
            assertThat(verdict.supersededWebhooks()).as("upstream jobs started twice").isZero();
            assertThat(simulator.stats().createCalls()).as("create calls: none sent twice without a crash")
                    .isEqualTo(plannedCalls);
            assertSteadyHeap(load1);
            for (Sample sample : load1) {
                assertThat(sample.inFlight()).as("in-flight entries at %ds vs %d live tasks", sample.at().toSeconds(),
                        sample.live()).isLessThanOrEqualTo(sample.live() + sample.live() / 10 + 50);
            }
            assertThat(drainedSample.inFlight()).as("in-flight entries once the load drained").isZero();
            // Completed markers and early webhooks live in a window store whose changelog keeps them a day longer;
            // what must be gone from the census is every waiting task.
            assertThat(end.callbacks()).as("callbacks tasks still waiting after the retention").isEmpty();
            assertThat(end.ingest().keySet()).as("ingest keeps only DONE markers (dedupe, 7 days)")
                    .containsOnly("DONE");
        }
    }

    /** The live set may wobble, but must not trend up: the last third of the run against the first third. */
    private static void assertSteadyHeap(List<Sample> samples) {
        assertThat(samples.size()).as("samples during the load").isGreaterThanOrEqualTo(6);
        int third = samples.size() / 3;
        for (String service : BridgeProcesses.SERVICES) {
            double early = samples.subList(1, 1 + third).stream().mapToLong(s -> s.heap().get(service)).average()
                    .orElseThrow();
            double late = samples.subList(samples.size() - third, samples.size()).stream()
                    .mapToLong(s -> s.heap().get(service)).average().orElseThrow();
            assertThat(late).as("%s heap after GC, last third vs first third of the load (MiB %.1f vs %.1f)", service,
                    late / MIB, early / MIB).isLessThanOrEqualTo(early * 1.25 + 16 * MIB);
        }
    }

    private static String figures(int tasks, Duration duration, double rate, Verdict verdict, List<Sample> load,
            Sample drained, Sample end, long createCalls, long plannedCalls, Duration total) {
        Sample first = load.get(Math.min(1, load.size() - 1));
        Sample last = load.get(load.size() - 1);
        long maxLive = load.stream().mapToLong(Sample::live).max().orElse(0);
        long maxInFlight = load.stream().mapToLong(Sample::inFlight).max().orElse(0);
        return String.format("SOAK FIGURES tasks=%d over %ds at %.0f/s webhooks2xx=%d lost=%d duplicated=%d"
                        + " wrongStatus=%d createCalls=%d (planned %d) heapAfterGcMiB first=%s last=%s drained=%s"
                        + " rssMiB last=%s maxLive=%d maxInFlight=%d inFlightDrained=%d storesAfterRetention="
                        + "ingest%s/poller%s/callbacks%s duration=%ds",
                tasks, duration.toSeconds(), rate, verdict.webhooksAcknowledged(), verdict.lost().size(),
                verdict.duplicated().size(), verdict.wrongStatus().size() + verdict.unexplained().size(), createCalls,
                plannedCalls, mib(first.heap()), mib(last.heap()), mib(drained.heap()), mib(last.rss()), maxLive,
                maxInFlight, drained.inFlight(), end.ingest(), end.poller(), end.callbacks(), total.toSeconds());
    }

    private static Map<String, String> mib(Map<String, Long> bytes) {
        Map<String, String> shown = new LinkedHashMap<>();
        bytes.forEach((name, value) -> shown.put(name, String.format("%.1f", value / (double) MIB)));
        return shown;
    }

    /** The heap probes of the three service JVMs and the censuses of their stores. */
    private record Probes(Map<String, HeapProbe> heaps, StoreCensus ingest, StoreCensus poller, StoreCensus callbacks)
            implements AutoCloseable {

        static Probes attach(BridgeProcesses bridge) throws Exception {
            Map<String, HeapProbe> heaps = new LinkedHashMap<>();
            for (Map.Entry<String, Long> pid : bridge.pids().entrySet()) {
                heaps.put(pid.getKey(), HeapProbe.attach(pid.getValue()));
            }
            String prefix = bridge.config().kafka().applicationPrefix();
            String bootstrap = bridge.bootstrapServers();
            return new Probes(heaps,
                    new StoreCensus(bootstrap, StoreCensus.changelog(prefix, "ingest", "ingest-tasks"),
                            StoreCensus.byField("state")),
                    new StoreCensus(bootstrap, StoreCensus.changelog(prefix, "poller", "poll-tasks"), value -> "TASK"),
                    new StoreCensus(bootstrap, StoreCensus.changelog(prefix, "callbacks", "callbacks-waiting"),
                            value -> "WAITING_FOR_WEBHOOK"));
        }

        Sample sample(Duration at, long submitted, Ledger ledger) {
            ledger.catchUp(Duration.ofSeconds(60));
            long completed = ledger.completedTasks();
            Map<String, Long> heap = new LinkedHashMap<>();
            Map<String, Long> rss = new LinkedHashMap<>();
            heaps.forEach((name, probe) -> {
                heap.put(name, probe.heapAfterGc());
                rss.put(name, probe.residentBytes());
            });
            Duration timeout = Duration.ofSeconds(60);
            return new Sample(at, submitted, completed, heap, rss, ingest.count(timeout), poller.count(timeout),
                    callbacks.count(timeout));
        }

        @Override
        public void close() throws Exception {
            for (HeapProbe probe : heaps.values()) {
                probe.close();
            }
            ingest.close();
            poller.close();
            callbacks.close();
        }
    }
}
