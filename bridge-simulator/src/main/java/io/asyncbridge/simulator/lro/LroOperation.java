package io.asyncbridge.simulator.lro;

import io.asyncbridge.simulator.scenario.Scenario;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One accepted long-running operation of either simulated API. Its state is computed from the elapsed time on every
 * read, as the Acquia tasks do, so thousands of running operations cost no timers.
 *
 * @param id            the operation id, also the last path segment of its status URL
 * @param scenario      behaviour asked for on the create call
 * @param createdMillis when the create call was accepted
 * @param durationMillis time until the operation ends (ignored by {@code never})
 * @param target        the path the create call went to (named in metadata and in the final resource)
 */
record LroOperation(String id, Scenario scenario, long createdMillis, long durationMillis, String target,
                    AtomicInteger polls, AtomicLong firstPollMillis, AtomicLong lastPollMillis,
                    AtomicLong shortestPollGapMillis, AtomicLong cancelledMillis) {

    /** How an operation ends. */
    enum End { SUCCEEDED, FAILED, CANCELED }

    /** A never-ending operation is evicted after this long, so the registry stays bounded. */
    private static final long NEVER_TTL_MILLIS = 3_600_000;

    LroOperation(String id, Scenario scenario, long createdMillis, long durationMillis, String target) {
        this(id, scenario, createdMillis, durationMillis, target, new AtomicInteger(), new AtomicLong(-1),
                new AtomicLong(-1), new AtomicLong(Long.MAX_VALUE), new AtomicLong(-1));
    }

    boolean runsForever() {
        return scenario.has("never");
    }

    boolean finishedAt(long nowMillis) {
        return cancelled() || !runsForever() && nowMillis - createdMillis >= durationMillis;
    }

    /** A cancel call ended it (it had not finished by itself). */
    boolean cancelled() {
        return cancelledMillis.get() >= 0;
    }

    /** Ends a running operation as canceled; one that already ended stays as it ended. */
    void cancel(long nowMillis) {
        if (!finishedAt(nowMillis)) {
            cancelledMillis.compareAndSet(-1, nowMillis);
        }
    }

    /** The status resource still answers 404 because the API is not real time ({@code lag404}). */
    boolean lagging(long nowMillis) {
        return nowMillis - createdMillis < scenario.number("lag404", 0);
    }

    End end() {
        if (cancelled()) {
            return End.CANCELED;
        }
        if (scenario.has("fail") || scenario.has("error-string")) {
            return End.FAILED;
        }
        return scenario.has("cancel") ? End.CANCELED : End.SUCCEEDED;
    }

    /** Counts one poll and returns its 1-based number; remembers when the first one came. */
    int recordPoll(long nowMillis) {
        firstPollMillis.compareAndSet(-1, nowMillis);
        long last = lastPollMillis.getAndSet(nowMillis);
        if (last >= 0) {
            shortestPollGapMillis.accumulateAndGet(nowMillis - last, Math::min);
        }
        return polls.incrementAndGet();
    }

    /** 0-100 while running, in steps of 5; a never-ending operation stalls at 95. */
    int progress(long nowMillis) {
        if (finishedAt(nowMillis)) {
            return 100;
        }
        double fraction = (double) Math.max(0, nowMillis - createdMillis) / durationMillis;
        return Math.max(0, Math.min(runsForever() ? 95 : 99, (int) Math.floor(fraction * 20) * 5));
    }

    /** Still in its first 15 %: not started yet. */
    boolean notStarted(long nowMillis) {
        return !runsForever() && (double) (nowMillis - createdMillis) / durationMillis < 0.15;
    }

    long evictableAfter(long retentionMillis) {
        if (cancelled()) {
            return cancelledMillis.get() + retentionMillis;
        }
        return (runsForever() ? createdMillis + NEVER_TTL_MILLIS : createdMillis + durationMillis) + retentionMillis;
    }

    static String timestamp(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
