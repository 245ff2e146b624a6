package io.asyncbridge.simulator.scenario;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts attempts of "the same request" (a retry of a create call), so that scenarios such as
 * {@code create429=2} can fail the first attempts and let a later one through. Entries not seen for the
 * retention are dropped by {@link #sweep(long)} to keep memory bounded.
 */
public final class AttemptCounter {

    private final Map<String, Entry> attempts = new ConcurrentHashMap<>();
    private final long retentionMillis;

    public AttemptCounter(long retentionMillis) {
        this.retentionMillis = retentionMillis;
    }

    /** Records one more attempt and returns its 1-based number. */
    public long next(String requestKey, long nowMillis) {
        return attempts.compute(requestKey, (key, old) ->
                new Entry(old == null ? 1 : old.count + 1, nowMillis)).count;
    }

    public void sweep(long nowMillis) {
        attempts.values().removeIf(entry -> nowMillis - entry.lastSeenMillis > retentionMillis);
    }

    public int size() {
        return attempts.size();
    }

    private record Entry(long count, long lastSeenMillis) {
    }
}
