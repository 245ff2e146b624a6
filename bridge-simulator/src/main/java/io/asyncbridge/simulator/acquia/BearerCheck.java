package io.asyncbridge.simulator.acquia;

import io.asyncbridge.simulator.stats.SimulatorStats;
import io.asyncbridge.simulator.http.Replies;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** Answers 401 unless the request carries {@code Authorization: Bearer <valid, unexpired token>}. */
final class BearerCheck {

    private final AcquiaTokenStore tokens;
    private final SimulatorStats stats;
    private final Replies replies;

    BearerCheck(AcquiaTokenStore tokens, SimulatorStats stats, Replies replies) {
        this.tokens = tokens;
        this.stats = stats;
        this.replies = replies;
    }

    /** Returns true when authorized; otherwise it has answered 401 already. */
    boolean authorize(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        if (tokens.isValid(token, System.currentTimeMillis())) {
            return true;
        }
        stats.recordUnauthorized();
        String description = token == null
                ? "Missing bearer token"
                : "The access token is invalid or has expired";
        ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "invalid_token");
        body.put("error_description", description);
        body.put("message", description);
        replies.json(ctx, 401, body);
        return false;
    }
}
