package io.asyncbridge.schemas;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.asyncbridge.schemas.validation.SchemaViolation;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Why a task did not succeed. {@code code} is stable and machine-readable; {@code message} is for
 * humans and must never carry secrets.
 */
@JsonPropertyOrder({"code", "message"})
public record TaskError(String code, String message) {

    /** The request did not match the task-request schema or could not be read at all. */
    public static final String INVALID_REQUEST = "invalid_request";
    /** The upstream refused to start the task (for example a 4xx answer). */
    public static final String UPSTREAM_REJECTED = "upstream_rejected";
    /** The upstream reported the task as failed. */
    public static final String UPSTREAM_FAILED = "upstream_failed";
    /** The upstream reported the task as canceled (an operation canceled by someone other than the bridge). */
    public static final String UPSTREAM_CANCELED = "upstream_canceled";
    /** No terminal answer arrived before the task's timeout. */
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";
    /** A crash hid whether the upstream accepted the task, and the provider must not send again. */
    public static final String DISPATCH_OUTCOME_UNKNOWN = "dispatch_outcome_unknown";
    /** A cancel record on the requests topic ended the task; the message is the cancel's reason. */
    public static final String CANCELLED = "cancelled";

    /** Long violation lists are cut so one bad request cannot blow up an event. */
    static final int MAX_MESSAGE_LENGTH = 2000;

    public TaskError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, () -> "message of error " + code);
        if (code.isEmpty()) {
            throw new IllegalArgumentException("error code must not be empty");
        }
    }

    /** An {@link #INVALID_REQUEST} error listing the violations, one per line as the validator renders them. */
    public static TaskError invalidRequest(List<SchemaViolation> violations) {
        String lines = violations.stream().map(SchemaViolation::toString).collect(Collectors.joining("\n"));
        if (lines.length() > MAX_MESSAGE_LENGTH) {
            lines = lines.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
        }
        return new TaskError(INVALID_REQUEST, lines);
    }
}
