package io.asyncbridge.schemas;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.asyncbridge.schemas.validation.SchemaViolation;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Why a task did not succeed. {@code code} is stable and machine-readable, one of the {@link ErrorCode} catalogue;
 * {@code message} is for humans and must never carry secrets.
 */
@JsonPropertyOrder({"code", "message"})
public record TaskError(String code, String message) {

    /** Long violation lists are cut so one bad request cannot blow up an event. */
    static final int MAX_MESSAGE_LENGTH = 2000;

    public TaskError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, () -> "message of error " + code);
        if (code.isEmpty()) {
            throw new IllegalArgumentException("error code must not be empty");
        }
    }

    /** An error with a code of the catalogue. */
    public TaskError(ErrorCode code, String message) {
        this(code.code(), message);
    }

    /** An {@link ErrorCode#INVALID_REQUEST} error listing the violations, one per line as the validator renders them. */
    public static TaskError invalidRequest(List<SchemaViolation> violations) {
        String lines = violations.stream().map(SchemaViolation::toString).collect(Collectors.joining("\n"));
        if (lines.length() > MAX_MESSAGE_LENGTH) {
            lines = lines.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
        }
        return new TaskError(ErrorCode.INVALID_REQUEST, lines);
    }
}
