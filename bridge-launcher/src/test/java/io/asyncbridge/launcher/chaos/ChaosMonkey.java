package io.asyncbridge.launcher.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Carries out a {@link ChaosSchedule} while the load runs: each event at its planned moment, on one thread per
 * target, so outages of different processes may overlap (a service killed while the broker is down) while one
 * target is only killed again once its previous restart ran.
 */
final class ChaosMonkey implements AutoCloseable {

    /**
     * What happened: when the target was killed and when it was back.
     *
     * @param target a service name or {@link ChaosSchedule#BROKER}
     */
    record Outage(String target, Instant killedAt, Instant backAt) {
        /** Whether this outage, or the {@code aftermath} that follows it, overlaps {@code [from, to]}. */
        boolean covers(Instant from, Instant to, Duration aftermath) {
            return !killedAt.isAfter(to) && !backAt.plus(aftermath).isBefore(from);
        }
    }

    private final Map<String, ExecutorService> threads = new LinkedHashMap<>();
    private final List<Future<?>> runs = new ArrayList<>();
    private final List<Outage> outages = new ArrayList<>();
    /**
     * The least time between the broker's return and its next outage. A broker that takes a minute to come back on a
     * loaded machine would otherwise be killed again as soon as it is back, and the services would never run.
     */
    private static final Duration BROKER_GAP = Duration.ofSeconds(20);
    private volatile long lastBrokerBack = Long.MIN_VALUE;

    void start(BridgeProcesses bridge, List<ChaosSchedule.Event> events) {
        long start = System.nanoTime();
        long brokerEvents = events.stream().filter(event -> event.target().equals(ChaosSchedule.BROKER)).count();
        int brokerOrdinal = 0;
        for (ChaosSchedule.Event event : events) {
            // With more than one broker outage, the first is a graceful stop (SIGTERM, as in a rolling restart) and
            // the others are crashes (SIGKILL); a single one is a crash.
            boolean graceful = event.target().equals(ChaosSchedule.BROKER) && brokerEvents > 1 && brokerOrdinal++ == 0;
            ExecutorService thread = threads.computeIfAbsent(event.target(), target ->
                    Executors.newSingleThreadExecutor(runnable -> {
                        Thread t = new Thread(runnable, "chaos-" + target);
                        t.setDaemon(true);
                        return t;
                    }));
            runs.add(thread.submit(() -> {
                long wait = start + event.at().toNanos() - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // a kill at a planned moment: there is no condition to await
                }
                if (event.target().equals(ChaosSchedule.BROKER)) {
                    awaitBrokerGap(); // the broker thread runs its events in turn; a late one must not follow at once
                }
                Instant killedAt = Instant.now();
                System.out.printf("chaos: at %ds %s %s (down %d ms)%n",
                        Duration.ofNanos(System.nanoTime() - start).toSeconds(), graceful ? "SIGTERM" : "kill -9",
                        event.target(), event.downtime().toMillis());
                if (graceful) {
                    bridge.stopAndRestartBroker(event.downtime());
                } else if (event.target().equals(ChaosSchedule.BROKER)) {
                    bridge.killAndRestartBroker(event.downtime());
                } else {
                    bridge.killAndRestart(event.target(), event.downtime());
                }
                Instant backAt = Instant.now();
                if (event.target().equals(ChaosSchedule.BROKER)) {
                    lastBrokerBack = System.nanoTime();
                }
                synchronized (outages) {
                    outages.add(new Outage(event.target(), killedAt, backAt));
                }
                System.out.printf("chaos: %s back after %d ms%n", event.target(),
                        Duration.between(killedAt, backAt).toMillis());
                return null;
            }));
        }
    }

    private void awaitBrokerGap() {
        if (lastBrokerBack == Long.MIN_VALUE) {
            return;
        }
        long wait = lastBrokerBack + BROKER_GAP.toNanos() - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait); // a planned pause between outages: there is no condition to await
        }
    }

    /** Waits until every event was carried out; rethrows what failed. */
    void awaitDone(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<?> run : runs) {
            run.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    List<Outage> outages() {
        synchronized (outages) {
            return List.copyOf(outages);
        }
    }

    long count(String target) {
        return outages().stream().filter(outage -> outage.target().equals(target)).count();
    }

    @Override
    public void close() {
        threads.values().forEach(ExecutorService::shutdownNow);
    }
}
