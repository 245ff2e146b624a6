package io.asyncbridge.simulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers every simulated endpoint uses to answer: JSON bodies, delays, dropped connections. */
public final class Replies {

    private final Vertx vertx;
    private final ObjectMapper json;

    public Replies(Vertx vertx, ObjectMapper json) {
        this.vertx = vertx;
        this.json = json;
    }

    public ObjectMapper json() {
        return json;
    }

    /** Runs the action after the delay on a Vert.x timer (never a sleep), or at once for a delay <= 0. */
    public void after(long delayMillis, Runnable action) {
        if (delayMillis <= 0) {
            action.run();
        } else {
            vertx.setTimer(delayMillis, id -> action.run());
        }
    }

    public void json(RoutingContext ctx, int status, Object body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(bytes(body)));
    }

    /** Acquia-style error body: {@code {"error": code, "error_description"/"message": text}}. */
    public void acquiaError(RoutingContext ctx, int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        json(ctx, status, body);
    }

    /** Drops the connection without any answer, as a crashing proxy would. */
    public void reset(RoutingContext ctx) {
        ctx.request().connection().close();
    }

    public byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize simulator response " + body.getClass().getName(), e);
        }
    }
}
