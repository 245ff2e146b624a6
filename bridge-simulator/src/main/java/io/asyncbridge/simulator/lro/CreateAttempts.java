package io.asyncbridge.simulator.lro;

import io.asyncbridge.simulator.scenario.AttemptCounter;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Numbers the attempts of "the same create call", so that {@code create429=2} fails the first two and lets the third
 * through: the same {@value #REQUEST_ID_HEADER} header, or else the same method, URI and body.
 */
final class CreateAttempts {

    static final String REQUEST_ID_HEADER = "X-Simulator-Request-Id";

    private final AttemptCounter attempts;

    CreateAttempts(long retentionMillis) {
        this.attempts = new AttemptCounter(retentionMillis);
    }

    long next(RoutingContext ctx, long nowMillis) {
        return attempts.next(key(ctx), nowMillis);
    }

    void sweep(long nowMillis) {
        attempts.sweep(nowMillis);
    }

    private static String key(RoutingContext ctx) {
        String requestId = ctx.request().getHeader(REQUEST_ID_HEADER);
        if (requestId != null && !requestId.isBlank()) {
            return "id:" + requestId;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((ctx.request().method().name() + " " + ctx.request().uri() + "\n").getBytes(StandardCharsets.UTF_8));
            Buffer body = ctx.body().buffer();
            if (body != null) {
                digest.update(body.getBytes());
            }
            return "body:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
