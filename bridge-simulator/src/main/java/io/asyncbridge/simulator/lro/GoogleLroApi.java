package io.asyncbridge.simulator.lro;

import io.asyncbridge.simulator.http.Replies;
import io.asyncbridge.simulator.scenario.Scenario;
import io.asyncbridge.simulator.scenario.ScenarioGrammar;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Google AIP-151 operations: a create call under {@value #BASE_PATH} answers an operation
 * {@code {name: "operations/<id>", metadata}} (proto3 JSON leaves out {@code done: false}); {@code GET
 * {base}/operations/<id>} answers it with {@code done}, and when done either {@code response} or an {@code error}
 * ({@code google.rpc.Status}: code, message, details; code 1 when canceled); {@code POST {base}/operations/<id>:cancel}
 * cancels it. Authenticated by an API key header.
 */
final class GoogleLroApi extends LroApi {

    static final String BASE_PATH = "/google/v1";
    private static final String METADATA_TYPE = "type.googleapis.com/simulator.v1.OperationMetadata";
    private static final String RESOURCE_TYPE = "type.googleapis.com/simulator.v1.Resource";

    private static final ScenarioGrammar GRAMMAR = grammar(new String[] {"no-name", "bad-name", "bad-done", "no-cancel"},
            new String[0]);

    GoogleLroApi(Replies replies, LroOperations operations, CreateAttempts attempts, long defaultDurationMillis,
                 boolean logTasks) {
        super(replies, operations, attempts, defaultDurationMillis, logTasks);
    }

    @Override
    ScenarioGrammar grammar() {
        return GRAMMAR;
    }

    @Override
    String name() {
        return "google-lro";
    }

    @Override
    boolean authorized(RoutingContext ctx) {
        if (LroApis.GOOGLE_API_KEY.equals(ctx.request().getHeader(LroApis.GOOGLE_API_KEY_HEADER))) {
            return true;
        }
        error(ctx, 401, "UNAUTHENTICATED", "The request does not have a valid API key.");
        return false;
    }

    /** Google's error response: {@code {"error": {"code": <http status>, "message", "status"}}}. */
    @Override
    void error(RoutingContext ctx, int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status);
        error.put("message", message);
        error.put("status", switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 404 -> "NOT_FOUND";
            case 501 -> "UNIMPLEMENTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> code;
        });
        replies.json(ctx, status, Map.of("error", error));
    }

    @Override
    void accepted(RoutingContext ctx, Scenario scenario, LroOperation operation) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (scenario.has("bad-name")) {
            body.put("name", "../../admin/operations/" + operation.id());
        } else if (!scenario.has("no-name")) {
            body.put("name", "operations/" + operation.id());
        }
        body.put("metadata", metadata(operation, 0));
        if (scenario.has("sync")) {
            body.put("done", true);
            body.put("response", response(operation));
        } else if (scenario.has("sync-fail")) {
            body.put("done", true);
            body.put("error", failure());
        }
        replies.json(ctx, 200, body); // done: false is left out, as proto3 JSON does
    }

    /**
     * {@code POST /google/v1/operations/{id}:cancel} (AIP-151's CancelOperation): {@code {}} with 200, and a running
     * operation ends canceled (done, error code 1); one that already ended stays as it was. {@code no-cancel} makes
     * the API refuse with 501 UNIMPLEMENTED, as an API without cancellation does.
     */
    void cancel(RoutingContext ctx, String id) {
        if (!authorized(ctx)) {
            return;
        }
        LroOperation operation = operations.find(id);
        operations.recordCancelCall();
        if (operation == null) {
            error(ctx, 404, "NOT_FOUND", "Operation " + id + " was not found.");
            return;
        }
        if (operation.scenario().has("no-cancel")) {
            error(ctx, 501, "UNIMPLEMENTED", "Operation cancellation is not supported.");
            return;
        }
        operation.cancel(System.currentTimeMillis());
        replies.json(ctx, 200, Map.of());
    }

    /** {@code GET /google/v1/operations/{id}}. */
    void operation(RoutingContext ctx, LroOperation operation, int poll, long now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "operations/" + operation.id());
        body.put("metadata", metadata(operation, operation.progress(now)));
        boolean finished = operation.finishedAt(now);
        if (operation.scenario().has("bad-done")) {
            body.put("done", finished ? "yes" : "no"); // not a boolean: a client must not read it as done
        } else {
            body.put("done", finished);
        }
        if (finished) {
            switch (operation.end()) {
                case FAILED -> body.put("error", operation.scenario().has("error-string")
                        ? "The operation failed." : failure());
                case CANCELED -> body.put("error", Map.of("code", 1, "message", "Operation was cancelled.",
                        "status", "CANCELLED"));
                default -> body.put("response", response(operation));
            }
        }
        replies.json(ctx, 200, body);
    }

    private static Map<String, Object> failure() {
        return Map.of("code", 9, "message", "The simulated operation failed.", "status", "FAILED_PRECONDITION",
                "details", List.of(Map.of("@type", "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason", "SIMULATED_FAILURE", "domain", "simulator.example.com")));
    }

    private static Map<String, Object> metadata(LroOperation operation, int progress) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("@type", METADATA_TYPE);
        metadata.put("createTime", LroOperation.timestamp(operation.createdMillis()));
        metadata.put("target", operation.target());
        metadata.put("verb", "create");
        metadata.put("progressPercent", progress);
        return metadata;
    }

    private static Map<String, Object> response(LroOperation operation) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("@type", RESOURCE_TYPE);
        response.put("name", operation.target().replaceFirst("^" + BASE_PATH + "/", "") + "/" + operation.id());
        response.put("state", "READY");
        return response;
    }
}
