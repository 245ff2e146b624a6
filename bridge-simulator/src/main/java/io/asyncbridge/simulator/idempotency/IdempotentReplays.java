package io.asyncbridge.simulator.idempotency;

import io.asyncbridge.simulator.stats.SimulatorStats;
import io.asyncbridge.simulator.http.Replies;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An API's memory of idempotency keys, as Stripe's and the IETF httpapi draft's: the first call with a key that the
 * API accepted (a 2xx) is remembered, and a later call with the same key gets that first answer again, starting no
 * second job. A refused or failed call (4xx, 429, 5xx, reset) is not remembered, so a retry is handled as new.
 * At most {@value #MAX_KEYS} keys per API are kept; beyond that, new keys are not remembered.
 */
public final class IdempotentReplays {

    /** The header the simulator honours. */
    public static final String HEADER = "Idempotency-Key";
    static final int MAX_KEYS = 200_000;

    /** A remembered answer: status and JSON body. */
    public record Answer(int status, Object body) {
    }

    private final Map<String, Answer> first = new ConcurrentHashMap<>();
    private final SimulatorStats stats;

    public IdempotentReplays(SimulatorStats stats) {
        this.stats = stats;
    }

    /** The key of this call, or null when it carries none. */
    public static String keyOf(RoutingContext ctx) {
        String key = ctx.request().getHeader(HEADER);
        return key == null || key.isBlank() ? null : key.strip();
    }

    /** Answers with the first answer to this call's key and returns true, or returns false when there is none. */
    public boolean replay(RoutingContext ctx, Replies replies) {
        String key = keyOf(ctx);
        Answer answer = key == null ? null : first.get(key);
        if (answer == null) {
            return false;
        }
        stats.recordIdempotentReplay();
        ctx.response().putHeader("Idempotent-Replayed", "true");
        replies.json(ctx, answer.status(), answer.body());
        return true;
    }

    /** Remembers the accepted answer to this call's key (the first one wins). */
    public void remember(RoutingContext ctx, int status, Object body) {
        String key = keyOf(ctx);
        if (key != null && status >= 200 && status < 300 && first.size() < MAX_KEYS) {
            first.putIfAbsent(key, new Answer(status, body));
        }
    }
}
