package io.asyncbridge.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.simulator.UpstreamSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaling out and in under load, with the real processes: the broker and the services from {@code bridge.jar}, over
 * 6 partitions. While a mixed batch of tasks (the chaos mix, with the simulator's faults) goes in, a second instance
 * of every service joins; then the first ingest is killed with SIGKILL and started again, the second poller is
 * stopped with SIGTERM (a scale-in) and the second callbacks instance is killed with SIGKILL for good. The same
 * read_committed verdict as {@link ChaosIT} follows: no task lost or doubled, each with its scenario's status, the
 * dead letters exactly the planted ones, every acknowledged webhook reflected. The partitions each instance held and
 * the completions each logged are printed and appended to {@code target/reliability-figures.txt}.
 *
 * <p>{@code -Dscaleout.tasks} (default 1,200) and {@code -Dscaleout.rate} (requests/s, default 20) size the run.
 */
class ScaleOutIT {

    private static final Path JAR = Path.of(System.getProperty("bridge.jar", "target/bridge.jar")).toAbsolutePath();
    private static final Path FIGURES = Path.of("target", "reliability-figures.txt");
    private static final int PARTITIONS = 6;
    /** A membership change of ingest may leave a create call in doubt a little after it (see ChaosIT). */
    private static final Duration AFTERMATH = Duration.ofSeconds(30);
    /**
     * A logged completion: ingest's and the poller's {@code task <id> provider <p>: succeeded|failed|timed...|rejected},
     * the callbacks service's {@code task <id> (<p>) succeeded|failed|timed_out}.
     */
    private static final Pattern COMPLETION_LINE = Pattern.compile(
            "task \\S+ (provider \\S+:|\\(\\S+\\)) (succeeded|failed|timed_out|timed out|rejected)");

    @TempDir
    Path dir;

    private final List<ChaosMonkey.Outage> ingestChanges = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, Integer>> shares = Collections.synchronizedMap(new TreeMap<>());

    @Test
    void instancesJoinAndLeaveUnderLoadWithoutLosingOrDoublingACompletion() throws Exception {
        try {
            run();
        } finally {
            BridgeProcesses.keepLogs(dir);
        }
    }

    private void run() throws Exception {
        long seed = Long.getLong("scaleout.seed", new Random().nextLong());
        int taskCount = Integer.getInteger("scaleout.tasks", 1_200);
        double rate = Double.parseDouble(System.getProperty("scaleout.rate", "20"));
        System.out.println("scale-out: seed " + seed + " (replay with -Dscaleout.seed=" + seed + "), " + taskCount
                + " tasks at " + rate + "/s over " + PARTITIONS + " partitions");
        ChaosPlan plan = ChaosPlan.create(new Random(seed), "scale" + Long.toHexString(seed & 0xffff), taskCount);
        Instant begin = Instant.now();
        try (UpstreamSimulator simulator = UpstreamSimulator.start(RunConfigs.simulator());
                BridgeProcesses bridge = BridgeProcesses.start(dir, JAR, simulator, Duration.ofHours(1),
                        List.of("-Xmx320m", "-XX:+UseSerialGC"), Duration.ofSeconds(6), PARTITIONS);
                LoadDriver load = new LoadDriver(bridge.bootstrapServers(), bridge.config().topics().requests());
                ConsumerGroups groups = new ConsumerGroups(bridge.bootstrapServers())) {
            Path secondConfig = secondInstanceConfig(bridge);
            Duration window = Duration.ofMillis((long) (plan.sends().size() * 1000 / rate));
            load.startPacing();
            CompletableFuture<Void> changes = CompletableFuture.runAsync(() -> changeMembership(bridge, groups,
                    secondConfig, window));
            plan.sends().forEach(task -> load.sendPaced(task, rate));
            load.flush();
            changes.get();
            System.out.printf("scale-out: load and membership changes done after %d s%n",
                    Duration.between(begin, Instant.now()).toSeconds());

            Verdict verdict;
            try (Ledger ledger = new Ledger(bridge.bootstrapServers(), bridge.config().topics().completions(),
                    bridge.config().topics().deadLetter())) {
                Set<String> due = plan.tasks().stream().filter(task -> task.status() != null)
                        .map(PlannedTask::taskId).collect(Collectors.toSet());
                int deadLetters = (int) plan.count(task -> task.deadLetterCode() != null);
                boolean drained = ledger.awaitAll(due, deadLetters, Duration.ofMinutes(4));
                ledger.readFor(Duration.ofSeconds(5));
                verdict = Verdict.judge(plan.tasks(), ledger, simulator.stats().webhookAttempts(),
                        (from, to) -> ingestChanges.stream().anyMatch(o -> o.covers(from, to, AFTERMATH)));
                System.out.println("scale-out: drained=" + drained + ", " + ledger.records() + " records read");
            }
            Map<String, Long> completions = completionsLogged(dir.resolve("logs"));
            List<String> errors = bridge.errorsLogged();
            String figures = String.format("SCALE-OUT FIGURES seed=%d tasks=%d partitions=%d lost=%d duplicated=%d"
                            + " wrongStatus=%d dispatchOutcomeUnknown=%d deadLetterProblems=%d webhooks2xx=%d"
                            + " unreflectedWebhooks=%d bridgeErrors=%d duration=%ds partitionShares=%s"
                            + " completionsLogged=%s",
                    seed, plan.tasks().size(), PARTITIONS, verdict.lost().size(), verdict.duplicated().size(),
                    verdict.wrongStatus().size() + verdict.unexplained().size(), verdict.unknownOutcome().size(),
                    verdict.deadLetterProblems().size(), verdict.webhooksAcknowledged(), verdict.unreflected().size(),
                    errors.size(), Duration.between(begin, Instant.now()).toSeconds(), shares, completions);
            System.out.println(figures);
            Files.writeString(FIGURES, Instant.now() + " " + figures + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            verdict.lost().forEach(line -> System.out.println("scale-out: lost " + line));
            verdict.duplicated().forEach(line -> System.out.println("scale-out: duplicated " + line));
            verdict.wrongStatus().forEach(line -> System.out.println("scale-out: wrong " + line));
            verdict.unexplained().forEach(line -> System.out.println("scale-out: unexplained " + line));

            assertThat(verdict.lost()).as("tasks without a completion (lost)").isEmpty();
            assertThat(verdict.duplicated()).as("tasks with more than one completion").isEmpty();
            assertThat(verdict.wrongStatus()).as("completions with another status than the scenario's").isEmpty();
            assertThat(verdict.unexplained()).as("dispatch_outcome_unknown without a membership change").isEmpty();
            assertThat(verdict.strangers()).as("completions of tasks never submitted").isEmpty();
            assertThat(verdict.deadLetterProblems()).as("dead letters other than the planted ones").isEmpty();
            assertThat(verdict.badEvents()).as("completions breaking the schema or headers").isEmpty();
            assertThat(verdict.unreflected()).as("webhooks answered 2xx but not in their task's completion").isEmpty();
            assertThat(errors).as("ERRORs the bridge's own code logged").isEmpty();
            assertThat(shares.get("scaled out")).as("partitions per instance once every service had two")
                    .hasSize(6).allSatisfy((member, owned) -> assertThat(owned).as(member).isPositive());
        }
    }

    /**
     * Joins, crashes and leaves, spread over the load's window: a second instance of each service joins (graceful
     * scale-out); the first ingest is killed and started again; the second poller stops with SIGTERM (scale-in); the
     * second callbacks instance is killed for good (crash scale-in).
     */
    private void changeMembership(BridgeProcesses bridge, ConsumerGroups groups, Path secondConfig, Duration window) {
        try {
            long step = window.toMillis() / 6;
            pause(step);
            Instant joining = Instant.now();
            CompletableFuture.allOf(BridgeProcesses.SERVICES.stream().map(service -> CompletableFuture.runAsync(
                    () -> bridge.addInstance(service, service + "-b", secondConfig))).toArray(CompletableFuture[]::new))
                    .join();
            ingestChanges.add(new ChaosMonkey.Outage("ingest-b joined", joining, Instant.now()));
            Map<String, Integer> scaled = new TreeMap<>();
            for (String service : BridgeProcesses.SERVICES) {
                String topic = service.equals("ingest") ? bridge.config().topics().requests()
                        : bridge.config().topics().tasks();
                String a = ConsumerGroups.keptInstanceId(bridge.stateDir(), "chaos-" + service) + "-1";
                String b = ConsumerGroups.keptInstanceId(dir.resolve("state-" + service + "-b"), "chaos-" + service)
                        + "-1";
                groups.awaitShared("chaos-" + service, topic, PARTITIONS, Set.of(a, b), Duration.ofMinutes(3));
                Map<String, Integer> now = groups.sharesOf("chaos-" + service, topic);
                scaled.put(service + "-a", now.get(a));
                scaled.put(service + "-b", now.get(b));
            }
            shares.put("scaled out", scaled);
            System.out.println("scale-out: partitions once every service had two instances: " + scaled);

            pause(step);
            Instant killed = Instant.now();
            bridge.killAndRestart("ingest", Duration.ofSeconds(1));
            ingestChanges.add(new ChaosMonkey.Outage("ingest SIGKILL", killed, Instant.now()));

            pause(step);
            bridge.service("poller-b").stop();
            System.out.println("scale-out: poller-b stopped (SIGTERM)");

            pause(step);
            bridge.service("callbacks-b").kill();
            System.out.println("scale-out: callbacks-b killed (SIGKILL), not started again");
        } catch (Exception e) {
            throw new IllegalStateException("membership change failed: " + e.getMessage(), e);
        }
    }

    /** The second instances listen for webhooks on their own port; webhooks still go to the first one's URL. */
    private Path secondInstanceConfig(BridgeProcesses bridge) throws IOException {
        String first = Files.readString(bridge.configFile(), StandardCharsets.UTF_8);
        int port = bridge.config().callbacks().port();
        int other;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            other = socket.getLocalPort();
        }
        String second = first.replace("  port: " + port + "\n", "  port: " + other + "\n");
        assertThat(second).as("the second callbacks instance gets a port of its own").isNotEqualTo(first);
        return Files.writeString(dir.resolve("bridge-second.yaml"), second, StandardCharsets.UTF_8);
    }

    /** Completions each instance logged, by instance (all incarnations of one instance together). */
    static Map<String, Long> completionsLogged(Path logs) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                String name = log.getFileName().toString();
                String instance = name.substring(0, name.lastIndexOf('-'));
                try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
                    long n = lines.filter(line -> COMPLETION_LINE.matcher(line).find()).count();
                    counts.merge(instance, n, Long::sum);
                }
            }
        }
        return counts;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // spreading the membership changes over the load: the timing is the point
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
