package io.asyncbridge.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The one terminal event of a task on {@code bridge.completions} (schema
 * {@code completion.schema.json}). Every property is written, nulls included, in the contract's
 * order. Build completions with the factories ({@link #succeeded}, {@link #failed},
 * {@link #timedOut}, {@link #rejected}); the constructor enforces the rules the schema states
 * (error iff not succeeded, provider null only when rejected).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"taskId", "provider", "status", "via", "submittedAt", "acceptedAt", "completedAt",
        "upstream", "result", "error", "metadata"})
public record Completion(
        String taskId,
        String provider,
        CompletionStatus status,
        Via via,
        Instant submittedAt,
        Instant acceptedAt,
        Instant completedAt,
        UpstreamInfo upstream,
        JsonNode result,
        TaskError error,
        Map<String, String> metadata) {

    public Completion {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, () -> "status of task " + taskId);
        Objects.requireNonNull(via, () -> "via of task " + taskId);
        Objects.requireNonNull(submittedAt, () -> "submittedAt of task " + taskId);
        Objects.requireNonNull(completedAt, () -> "completedAt of task " + taskId);
        if (provider == null && status != CompletionStatus.REJECTED) {
            throw new IllegalArgumentException("provider of task " + taskId + " may be null only when rejected, status is "
                    + status.wireName());
        }
        if ((status == CompletionStatus.SUCCEEDED) != (error == null)) {
            throw new IllegalArgumentException("task " + taskId + " is " + status.wireName()
                    + ": error must be " + (status == CompletionStatus.SUCCEEDED ? "null" : "present"));
        }
        if (result != null && result.isNull()) {
            result = null;
        }
        metadata = StringMaps.copyOf(metadata, "metadata of task " + taskId);
    }

    /** The upstream reported success; {@code result} is the final resource or webhook body (nullable). */
    public static Completion succeeded(TaskOrigin origin, Via via, Instant completedAt, JsonNode result) {
        return of(origin, CompletionStatus.SUCCEEDED, via, completedAt, result, null);
    }

    /** The upstream reported failure, or the dispatch outcome is unknown. */
    public static Completion failed(TaskOrigin origin, Via via, Instant completedAt, JsonNode result, TaskError error) {
        return of(origin, CompletionStatus.FAILED, via, completedAt, result,
                Objects.requireNonNull(error, "error of a failed completion"));
    }

    /** The task's deadline passed with no terminal answer: via deadline, error {@link TaskError#DEADLINE_EXCEEDED}. */
    public static Completion timedOut(TaskOrigin origin, Instant completedAt, Duration timeout) {
        TaskError error = new TaskError(ErrorCode.DEADLINE_EXCEEDED,
                "no terminal answer from the upstream within " + timeout);
        return of(origin, CompletionStatus.TIMED_OUT, Via.DEADLINE, completedAt, null, error);
    }

    /** The request was invalid or the upstream refused it: via ingest, no result. */
    public static Completion rejected(TaskOrigin origin, Instant completedAt, TaskError error) {
        return rejected(origin, completedAt, null, error);
    }

    /** The upstream refused the task; {@code result} is its answer body (nullable). */
    public static Completion rejected(TaskOrigin origin, Instant completedAt, JsonNode result, TaskError error) {
        return of(origin, CompletionStatus.REJECTED, Via.INGEST, completedAt, result,
                Objects.requireNonNull(error, "error of a rejected completion"));
    }

    /**
     * A cancel record ended the task: error {@link TaskError#CANCELLED} with the caller's reason, and whether the
     * upstream was asked to stop is said in the message when it was.
     */
    public static Completion cancelled(TaskOrigin origin, Via via, Instant completedAt, String message) {
        return of(origin, CompletionStatus.CANCELLED, via, completedAt, null, new TaskError(ErrorCode.CANCELLED, message));
    }

    /**
     * The largest {@code result} a completion carries, in bytes of JSON. A larger one (an upstream that answers with
     * megabytes) would not fit in a Kafka record, and a record that cannot be written would stall the partition.
     */
    public static final int MAX_RESULT_BYTES = 256 * 1024;

    /**
     * This completion, with a result too large for a record replaced by {@code {"truncated": true, "bytes": N}}.
     * Everything else (status, error, metadata) is kept, so the task still ends, and says why its result is missing.
     */
    public Completion withBoundedResult(com.fasterxml.jackson.databind.ObjectMapper json) {
        if (result == null) {
            return this;
        }
        int bytes;
        try {
            bytes = json.writeValueAsBytes(result).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result of task " + taskId, e);
        }
        if (bytes <= MAX_RESULT_BYTES) {
            return this;
        }
        JsonNode note = json.createObjectNode().put("truncated", true).put("bytes", bytes)
                .put("reason", "the upstream's answer is larger than " + MAX_RESULT_BYTES + " bytes");
        return new Completion(taskId, provider, status, via, submittedAt, acceptedAt, completedAt, upstream, note, error,
                metadata);
    }

    private static Completion of(TaskOrigin origin, CompletionStatus status, Via via, Instant completedAt,
                                 JsonNode result, TaskError error) {
        return new Completion(origin.taskId(), origin.provider(), status, via, origin.submittedAt(),
                origin.acceptedAt(), completedAt, origin.upstream(), result, error, origin.metadata());
    }
}
