package io.asyncbridge.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.simulator.UpstreamSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts and failover as an operator meets them, with the real processes: the broker and one JVM per service from
 * {@code bridge.jar}, as {@link ChaosIT} runs them.
 *
 * <ul>
 *   <li>Each service is killed with SIGKILL and started again at once, then ingest is stopped with SIGTERM and
 *       started again. The restarted process must hold every partition of its input topic again before the dead
 *       member's session could have expired. The services run with a session timeout of 120 s here, so only static
 *       membership (the same {@code group.instance.id}, kept in the state directory) can do that: without it the group
 *       waits out the dead member's session first. How long it took is a figure, not an assertion: on a quiet
 *       machine it is about 4 s (the goal is 15 s), on a machine shared with other builds several times
 *       that.</li>
 *   <li>A second poller joins (with the bridge's default session timeout) and is killed for good: the first one must
 *       take over all its partitions, after that session timeout.</li>
 * </ul>
 * Tasks sent while a service is down must all complete, once. Figures (start to RUNNING, to its partitions, to the
 * first completion; the takeover) are printed and appended to {@code target/reliability-figures.txt}.
 */
class FailoverIT {

    private static final Path JAR = Path.of(System.getProperty("bridge.jar", "target/bridge.jar")).toAbsolutePath();
    private static final Path FIGURES = Path.of("target", "reliability-figures.txt");
    /** Long beside a restart, so that waiting out a session cannot pass for taking the partitions back. */
    private static final Duration SESSION = Duration.ofSeconds(120);
    /** The goal for a restart, reported beside each figure. */
    private static final Duration GOAL = Duration.ofSeconds(15);
    private static final int PARTITIONS = 6;
    private static final int TASKS_PER_PHASE = 12;

    @TempDir
    Path dir;

    private final List<String> figures = new ArrayList<>();

    @Test
    void aRestartedServiceTakesItsPartitionsBackInSecondsAndASurvivorTakesOverADeadOne() throws Exception {
        try {
            run();
        } finally {
            BridgeProcesses.keepLogs(dir);
        }
    }

    private void run() throws Exception {
        long seed = new Random().nextLong();
        TaskMix mix = new TaskMix(new Random(seed), "failover" + Long.toHexString(seed & 0xffff));
        try (UpstreamSimulator simulator = UpstreamSimulator.start(RunConfigs.simulator());
                BridgeProcesses bridge = BridgeProcesses.start(dir, JAR, simulator, Duration.ofHours(1),
                        List.of("-Xmx384m", "-XX:+UseSerialGC"), SESSION, PARTITIONS);
                LoadDriver load = new LoadDriver(bridge.bootstrapServers(), bridge.config().topics().requests());
                Ledger ledger = new Ledger(bridge.bootstrapServers(), bridge.config().topics().completions(),
                        bridge.config().topics().deadLetter());
                ConsumerGroups groups = new ConsumerGroups(bridge.bootstrapServers())) {
            List<PlannedTask> all = new ArrayList<>();
            all.addAll(restart(bridge, groups, load, ledger, mix, "ingest", true));
            all.addAll(restart(bridge, groups, load, ledger, mix, "poller", true));
            all.addAll(restart(bridge, groups, load, ledger, mix, "callbacks", true));
            all.addAll(restart(bridge, groups, load, ledger, mix, "ingest", false));
            survivorTakesOver(bridge, groups, simulator);

            Set<String> due = all.stream().map(PlannedTask::taskId).collect(Collectors.toSet());
            assertThat(ledger.awaitAll(due, 0, Duration.ofMinutes(2))).as("every task sent around a restart completed")
                    .isTrue();
            ledger.readFor(Duration.ofSeconds(3));
            Map<String, Integer> counts = due.stream().collect(Collectors.toMap(id -> id,
                    id -> ledger.completions().getOrDefault(id, List.of()).size()));
            assertThat(counts.values()).as("completions per task").containsOnly(1);
            assertThat(bridge.errorsLogged()).as("ERRORs the bridge's own code logged").isEmpty();
        } finally {
            String line = Instant.now() + " FAILOVER FIGURES " + String.join("; ", figures);
            System.out.println(line);
            Files.writeString(FIGURES, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /**
     * Stops {@code service} (SIGKILL or SIGTERM), sends tasks that need it, starts it again at once and measures.
     */
    private List<PlannedTask> restart(BridgeProcesses bridge, ConsumerGroups groups, LoadDriver load, Ledger ledger,
            TaskMix mix, String service, boolean kill) throws Exception {
        ServiceProcess process = bridge.service(service);
        String group = "chaos-" + service;
        String input = service.equals("ingest") ? bridge.config().topics().requests() : bridge.config().topics().tasks();
        String member = ConsumerGroups.keptInstanceId(bridge.stateDir(), group) + "-1";
        groups.awaitOwner(group, input, PARTITIONS, member, Duration.ofMinutes(2));

        Instant stop = Instant.now();
        if (kill) {
            process.kill();
        } else {
            process.stop();
        }
        Duration stopping = Duration.between(stop, Instant.now());
        List<PlannedTask> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS_PER_PHASE; i++) {
            // only tasks that need the service: the first completion then measures its return
            boolean poll = service.equals("poller") || (service.equals("ingest") && i % 2 == 0);
            tasks.add(mix.fast(poll));
        }
        tasks.forEach(load::send);
        load.flush();
        ledger.catchUp(Duration.ofSeconds(30));

        process.start();
        Instant start = process.startedAt();
        process.awaitRunning(BridgeProcesses.READY_TIMEOUT);
        Duration running = Duration.between(start, Instant.now());
        groups.awaitOwner(group, input, PARTITIONS, member, Duration.ofMinutes(2));
        Duration takenBack = Duration.between(start, Instant.now());
        Set<String> ids = tasks.stream().map(PlannedTask::taskId).collect(Collectors.toSet());
        await("a first completion of the tasks sent while " + service + " was down").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    ledger.poll(Duration.ofMillis(50));
                    return ids.stream().anyMatch(ledger.completions()::containsKey);
                });
        Duration firstCompletion = Duration.between(start, Instant.now());
        String how = kill ? "SIGKILL" : "SIGTERM";
        figures.add(String.format("%s %s: stopped in %.1f s, start to RUNNING %.1f s, to all %d partitions %.1f s"
                        + " (goal %d s: %s), to first completion %.1f s", service, how, seconds(stopping),
                seconds(running), PARTITIONS, seconds(takenBack), GOAL.toSeconds(),
                takenBack.compareTo(GOAL) < 0 ? "met" : "missed", seconds(firstCompletion)));
        System.out.println("failover: " + figures.get(figures.size() - 1));
        assertThat(Duration.between(stop, start.plus(takenBack)))
                .as("%s after %s: from the stop until it held its %d partitions again (the dead member's session"
                        + " lasts %d s)", service, how, PARTITIONS, SESSION.toSeconds()).isLessThan(SESSION);
        return tasks;
    }

    /**
     * A second poller (the bridge's default session timeout) shares the partitions, then dies for good: the first one
     * takes all of them over once the dead member's session has expired.
     */
    private void survivorTakesOver(BridgeProcesses bridge, ConsumerGroups groups, UpstreamSimulator simulator)
            throws Exception {
        String group = "chaos-poller";
        String tasks = bridge.config().topics().tasks();
        Path config = Files.writeString(dir.resolve("bridge-default-session.yaml"), RunConfigs.bridgeYaml(
                bridge.bootstrapServers(), bridge.config().callbacks().port(), simulator, Duration.ofHours(1), null));
        ServiceProcess second = bridge.addInstance("poller", "poller-b", config);
        String survivor = ConsumerGroups.keptInstanceId(bridge.stateDir(), group) + "-1";
        String dying = ConsumerGroups.keptInstanceId(dir.resolve("state-poller-b"), group) + "-1";
        groups.awaitShared(group, tasks, PARTITIONS, Set.of(survivor, dying), Duration.ofMinutes(2));

        second.kill();
        Instant killed = Instant.now();
        groups.awaitOwner(group, tasks, PARTITIONS, survivor, Duration.ofMinutes(2));
        Duration takeover = Duration.between(killed, Instant.now());
        figures.add(String.format("poller survivor took over a SIGKILLed poller's partitions in %.1f s"
                + " (its session timeout: the bridge's default, 15 s)", seconds(takeover)));
        System.out.println("failover: " + figures.get(figures.size() - 1));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
