package io.asyncbridge.launcher.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asyncbridge.schemas.CompletionStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generates the requests of a run from a seeded {@link Random}: Acquia poll tasks and Cloud Elements callback tasks
 * with the simulator's faults, each with the status its scenario determines, plus deliberately invalid requests
 * that must end in the dead-letter topic.
 */
final class TaskMix {

    static final String POLL_PROVIDER = "acquia";
    /** The same simulated Acquia API under the default unknown-outcome policy (a POST in doubt ends failed). */
    static final String STRICT_POLL_PROVIDER = "acquia-strict";
    /**
     * The same API under the default policy, with an {@code Idempotency-Key} on the starting call: a POST in doubt is
     * sent again with the same key, and the simulator answers it with the first job, so none ends in doubt.
     */
    static final String KEYED_POLL_PROVIDER = "acquia-keyed";
    static final String CALLBACK_PROVIDER = "documents";
    /** Tasks that never end get this timeout, so they end {@code timed_out} within the run. */
    static final String SHORT_TIMEOUT = "PT20S";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A scenario, what it must end as, and how often it is drawn. */
    private record Kind(String provider, String scenario, boolean shortTimeout, CompletionStatus status,
            String errorCode, int weight) {
    }

    private static final CompletionStatus OK = CompletionStatus.SUCCEEDED;
    private static final CompletionStatus FAILED = CompletionStatus.FAILED;
    private static final CompletionStatus REJECTED = CompletionStatus.REJECTED;
    private static final CompletionStatus TIMED_OUT = CompletionStatus.TIMED_OUT;

    private static final List<Kind> KINDS = List.of(
            // Acquia: OAuth2, 202 + notification link, polled until terminal
            new Kind(POLL_PROVIDER, "success", false, OK, null, 14),
            new Kind(POLL_PROVIDER, "succeeded-word,duration=4000", false, OK, null, 3),
            new Kind(POLL_PROVIDER, "fail", false, FAILED, "upstream_failed", 6),
            new Kind(POLL_PROVIDER, "lag404=1500", false, OK, null, 5),
            new Kind(POLL_PROVIDER, "poll429=2", false, OK, null, 4),
            new Kind(POLL_PROVIDER, "poll5xx=2", false, OK, null, 4),
            new Kind(POLL_PROVIDER, "create429=2", false, OK, null, 4),
            new Kind(POLL_PROVIDER, "create5xx=2", false, OK, null, 4),
            new Kind(POLL_PROVIDER, "reset=1", false, OK, null, 2),
            new Kind(POLL_PROVIDER, "slow=1500", false, OK, null, 4),
            new Kind(POLL_PROVIDER, "unknown-word", false, OK, null, 2),
            new Kind(POLL_PROVIDER, "fail,lag404=800,poll429=1,create5xx=1", false, FAILED, "upstream_failed", 2),
            new Kind(POLL_PROVIDER, "reject", false, REJECTED, "upstream_rejected", 3),
            new Kind(POLL_PROVIDER, "no-link", false, FAILED, "missing_notification_link", 1),
            new Kind(POLL_PROVIDER, "non-json", false, FAILED, "upstream_answer_not_json", 1),
            new Kind(POLL_PROVIDER, "bad-link", false, FAILED, "notification_host_not_allowed", 1),
            new Kind(POLL_PROVIDER, "never", true, TIMED_OUT, "deadline_exceeded", 2),
            // Cloud Elements: 200 {eventId, dispatched}, then a signed webhook to the per-task callback URL
            new Kind(CALLBACK_PROVIDER, "success", false, OK, null, 14),
            new Kind(CALLBACK_PROVIDER, "early", false, OK, null, 6),
            new Kind(CALLBACK_PROVIDER, "duplicate=3", false, OK, null, 6),
            new Kind(CALLBACK_PROVIDER, "early,duplicate=2", false, OK, null, 3),
            new Kind(CALLBACK_PROVIDER, "duration=3000", false, OK, null, 3),
            new Kind(CALLBACK_PROVIDER, "slow=1500", false, OK, null, 4),
            new Kind(CALLBACK_PROVIDER, "fail", false, FAILED, "upstream_failed", 6),
            new Kind(CALLBACK_PROVIDER, "fail,duplicate=2", false, FAILED, "upstream_failed", 2),
            new Kind(CALLBACK_PROVIDER, "reject", false, REJECTED, "upstream_rejected", 3),
            new Kind(CALLBACK_PROVIDER, "never", true, TIMED_OUT, "deadline_exceeded", 2),
            // forged signature: every delivery is refused (401) and retried, so the task can only time out
            new Kind(CALLBACK_PROVIDER, "badsig", true, TIMED_OUT, "deadline_exceeded", 1));

    private static final int TOTAL_WEIGHT = KINDS.stream().mapToInt(Kind::weight).sum();

    /** The invalid requests, cycled through in order. */
    private static final int INVALID_KINDS = 6;

    private final Random random;
    private final String prefix;
    private int sequence;

    TaskMix(Random random, String prefix) {
        this.random = random;
        this.prefix = prefix;
    }

    /** A valid task of a randomly drawn kind. */
    PlannedTask next() {
        int draw = random.nextInt(TOTAL_WEIGHT);
        Kind kind = KINDS.get(KINDS.size() - 1);
        for (Kind candidate : KINDS) {
            draw -= candidate.weight();
            if (draw < 0) {
                kind = candidate;
                break;
            }
        }
        int n = ++sequence;
        boolean poll = kind.provider().equals(POLL_PROVIDER);
        String provider = kind.provider();
        String method = "POST";
        if (poll) {
            int slice = random.nextInt(10);
            // one poll task in five goes to the provider whose POSTs end dispatch_outcome_unknown after a crash, one
            // in ten to the same policy with an idempotency key, which must never end so
            provider = slice < 2 ? STRICT_POLL_PROVIDER : slice == 2 ? KEYED_POLL_PROVIDER : POLL_PROVIDER;
            method = slice >= 7 ? "PUT" : "POST";
        }
        String taskId = prefix + "-" + (poll ? "poll" : "cb") + "-" + n;
        ObjectNode request = request(taskId, provider, method,
                poll ? "/applications/app-" + (n % 50) + "/databases" : "/hubs/documents/folders/copy", kind.scenario());
        if (kind.shortTimeout()) {
            request.put("timeout", SHORT_TIMEOUT);
        }
        return new PlannedTask(taskId, taskId, provider, method, kind.scenario(), bytes(request),
                kind.status(), kind.errorCode(), null);
    }

    /**
     * A task that succeeds at once upstream: an Acquia poll task (with the provider that resends a call in doubt) or
     * a Cloud Elements callback task.
     */
    PlannedTask fast(boolean poll) {
        int n = ++sequence;
        String provider = poll ? POLL_PROVIDER : CALLBACK_PROVIDER;
        String taskId = prefix + "-" + (poll ? "poll" : "cb") + "-" + n;
        ObjectNode request = request(taskId, provider, "POST",
                poll ? "/applications/app-" + (n % 50) + "/databases" : "/hubs/documents/folders/copy", "success");
        return new PlannedTask(taskId, taskId, provider, "POST", "success", bytes(request), CompletionStatus.SUCCEEDED,
                null, null);
    }

    /**
     * The {@code index}-th deliberately invalid request; each kind must be dead-lettered with its code, and gets a
     * {@code rejected} completion when its taskId can be read.
     */
    PlannedTask invalid(int index) {
        int n = ++sequence;
        String taskId = prefix + "-bad-" + n;
        ObjectNode request = request(taskId, POLL_PROVIDER, "POST", "/applications/app-1/databases", "success");
        CompletionStatus rejected = CompletionStatus.REJECTED;
        switch (index % INVALID_KINDS) {
            case 0:
                return new PlannedTask(taskId, null, POLL_PROVIDER, "POST", "invalid:not-json",
                        ("{\"taskId\": \"" + taskId + "\", this is not JSON").getBytes(StandardCharsets.UTF_8),
                        null, null, "invalid_request");
            case 1:
                request.remove("method");
                return invalid(taskId, taskId, "invalid:no-method", request, rejected, "invalid_request");
            case 2:
                request.put("provider", "nobody");
                return invalid(taskId, taskId, "invalid:unknown-provider", request, rejected, "unknown_provider");
            case 3:
                request.put("path", "/applications/../../etc/passwd");
                return invalid(taskId, taskId, "invalid:traversal", request, rejected, "invalid_path");
            case 4:
                return invalid(taskId + "-other-key", taskId, "invalid:wrong-key", request, rejected, "invalid_key");
            default:
                ((ObjectNode) request.get("headers")).put("Authorization", "Bearer not-yours");
                return invalid(taskId, taskId, "invalid:auth-header", request, rejected, "forbidden_header");
        }
    }

    private static PlannedTask invalid(String key, String taskId, String what, ObjectNode request,
            CompletionStatus status, String code) {
        return new PlannedTask(key, taskId, request.path("provider").asText(), request.path("method").asText("POST"),
                what, bytes(request), status, code, code);
    }

    private static ObjectNode request(String taskId, String provider, String method, String path, String scenario) {
        ObjectNode request = JSON.createObjectNode();
        request.put("taskId", taskId);
        request.put("provider", provider);
        request.put("method", method);
        request.put("path", path);
        // a body unique to the task: the simulator counts create attempts (create429, reset) per method, URL and body
        request.putObject("body").put("name", taskId);
        request.putObject("headers").put("X-Simulator-Scenario", scenario);
        request.putObject("metadata").put("suite", "chaos").put("scenario", scenario);
        return request;
    }

    private static byte[] bytes(ObjectNode request) {
        try {
            return JSON.writeValueAsBytes(request);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request", e);
        }
    }
}
