package io.asyncbridge.simulator.lro;

import io.asyncbridge.simulator.http.Replies;
import io.asyncbridge.simulator.scenario.Scenario;
import io.asyncbridge.simulator.scenario.ScenarioGrammar;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The RFC 9110 / Azure long-running operation: a create call under {@value #BASE_PATH} answers 202 with the status
 * URL in {@code Azure-AsyncOperation} (and the final resource's URL in {@code Location}), or only in
 * {@code Operation-Location}, or only in {@code Location}. The status monitor answers {@code status}
 * ({@code NotStarted}, {@code Running} / {@code InProgress}, {@code Succeeded}, {@code Failed}, {@code Canceled}),
 * {@code percentComplete} and an {@code error} object; the {@code Location} URL answers 202 while running and 200
 * with the final resource (no status) when done. With {@code see-other}, a status monitor whose operation succeeded
 * answers 303 See Other with the final resource's URL in {@code Location}; with {@code poll-retry-after=N}, every
 * running answer (the monitor's 200, the Location URL's 202) carries {@code Retry-After: N}.
 */
final class HttpLroApi extends LroApi {

    static final String BASE_PATH = "/lro";

    private static final ScenarioGrammar GRAMMAR = grammar(
            new String[] {"operation-location", "location", "relative", "bad-link", "no-link", "unknown-word",
                "see-other"},
            new String[] {"poll-retry-after"});

    private final String publicBaseUrl;

    HttpLroApi(Replies replies, LroOperations operations, CreateAttempts attempts, long defaultDurationMillis,
               boolean logTasks, String publicBaseUrl) {
        super(replies, operations, attempts, defaultDurationMillis, logTasks);
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    ScenarioGrammar grammar() {
        return GRAMMAR;
    }

    @Override
    String name() {
        return "http-lro";
    }

    @Override
    boolean authorized(RoutingContext ctx) {
        if (LroApis.HTTP_LRO_AUTHORIZATION.equals(ctx.request().getHeader("Authorization"))) {
            return true;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        error(ctx, 401, "AuthenticationFailed", "Authentication failed: the Authorization header is missing or wrong.");
        return false;
    }

    /** Azure's error response: {@code {"error": {"code", "message"}}}. */
    @Override
    void error(RoutingContext ctx, int status, String code, String message) {
        replies.json(ctx, status, Map.of("error", Map.of("code", code, "message", message)));
    }

    @Override
    void accepted(RoutingContext ctx, Scenario scenario, LroOperation operation) {
        if (scenario.has("sync")) {
            replies.json(ctx, 201, finalResource(operation)); // created at once: no status URL to follow
            return;
        }
        if (scenario.has("sync-fail")) {
            replies.json(ctx, 200, monitorBody(operation, "Failed", 100, operation.createdMillis()));
            return;
        }
        String monitor = scenario.has("relative") ? BASE_PATH + "/operations/" + operation.id() : monitorUrl(operation);
        if (scenario.has("bad-link")) {
            // The cloud metadata service: clients must not follow status links off the API's host.
            ctx.response().putHeader("Azure-AsyncOperation", "http://169.254.169.254/metadata/instance?op=" + operation.id());
        } else if (scenario.has("operation-location")) {
            ctx.response().putHeader("Operation-Location", monitor);
        } else if (scenario.has("location")) {
            ctx.response().putHeader("Location", scenario.has("relative")
                    ? BASE_PATH + "/results/" + operation.id() : resultUrl(operation));
        } else if (!scenario.has("no-link")) {
            ctx.response().putHeader("Azure-AsyncOperation", monitor).putHeader("Location", resultUrl(operation));
        }
        replies.json(ctx, 202, monitorBody(operation, "NotStarted", 0, operation.createdMillis()));
    }

    /** {@code GET /lro/operations/{id}}: the status monitor. */
    void monitor(RoutingContext ctx, LroOperation operation, int poll, long now) {
        if (operation.finishedAt(now) && operation.end() == LroOperation.End.SUCCEEDED
                && operation.scenario().has("see-other")) {
            ctx.response().putHeader("Location", resultUrl(operation)).setStatusCode(303).end();
            return;
        }
        runningRetryAfter(ctx, operation, now);
        replies.json(ctx, 200, monitorBody(operation, word(operation, poll, now), operation.progress(now), now));
    }

    /** {@code poll-retry-after=N}: a running answer says when to ask again. */
    private static void runningRetryAfter(RoutingContext ctx, LroOperation operation, long now) {
        if (!operation.finishedAt(now)) {
            operation.scenario().number("poll-retry-after")
                    .ifPresent(seconds -> ctx.response().putHeader("Retry-After", Long.toString(seconds)));
        }
    }

    /** {@code GET /lro/results/{id}}: RFC 9110 polling of the Location URL. */
    void result(RoutingContext ctx, LroOperation operation, int poll, long now) {
        if (!operation.finishedAt(now)) {
            runningRetryAfter(ctx, operation, now);
            ctx.response().putHeader("Location", resultUrl(operation));
            ctx.response().setStatusCode(202).end();
            return;
        }
        if (operation.end() == LroOperation.End.SUCCEEDED) {
            replies.json(ctx, 200, finalResource(operation));
        } else {
            replies.json(ctx, 200, monitorBody(operation, word(operation, poll, now), 100, now));
        }
    }

    private String word(LroOperation operation, int poll, long now) {
        if (operation.finishedAt(now)) {
            return switch (operation.end()) {
                case FAILED -> "Failed";
                case CANCELED -> "Canceled";
                default -> "Succeeded";
            };
        }
        if (operation.scenario().has("unknown-word") && operation.progress(now) < 50) {
            return "Paused"; // not an LRO status word: clients must keep polling, never read it as done
        }
        if (operation.notStarted(now)) {
            return "NotStarted";
        }
        // Azure-AsyncOperation monitors say InProgress, Operation-Location monitors Running: accept either.
        return poll % 2 == 1 ? "Running" : "InProgress";
    }

    private Map<String, Object> monitorBody(LroOperation operation, String status, int progress, long now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", BASE_PATH + "/operations/" + operation.id());
        body.put("name", operation.id());
        body.put("status", status);
        body.put("percentComplete", progress);
        body.put("startTime", LroOperation.timestamp(operation.createdMillis()));
        boolean ended = status.equals("Succeeded") || status.equals("Failed") || status.equals("Canceled");
        if (ended) {
            body.put("endTime", LroOperation.timestamp(now));
        }
        if (status.equals("Failed")) {
            body.put("error", operation.scenario().has("error-string") ? "The operation failed."
                    : Map.of("code", "SimulatedFailure", "message", "The simulated operation failed.",
                            "target", operation.target()));
        }
        if (status.equals("Succeeded")) {
            body.put("resourceLocation", resultUrl(operation));
        }
        return body;
    }

    private Map<String, Object> finalResource(LroOperation operation) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("id", operation.target() + "/" + operation.id());
        resource.put("name", operation.id());
        resource.put("type", "Simulator/resources");
        resource.put("properties", Map.of("provisioningState", "Succeeded", "target", operation.target()));
        return resource;
    }

    private String monitorUrl(LroOperation operation) {
        return publicBaseUrl + BASE_PATH + "/operations/" + operation.id();
    }

    private String resultUrl(LroOperation operation) {
        return publicBaseUrl + BASE_PATH + "/results/" + operation.id();
    }
}
