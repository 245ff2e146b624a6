package io.asyncbridge.schemas.validation;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One reason a JSON document does not match its schema.
 *
 * @param pointer JSON Pointer (RFC 6901) of the offending value; the document root is written
 *                {@code "/"} rather than the RFC's empty string, so a rendered line never starts
 *                with a bare colon
 * @param message what is wrong, e.g. {@code integer found, string expected}
 */
public record SchemaViolation(String pointer, String message) {

    /** Pointer of the document root. */
    public static final String ROOT = "/";

    public SchemaViolation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
        if (pointer.isEmpty()) {
            pointer = ROOT;
        }
    }

    public static SchemaViolation atRoot(String message) {
        return new SchemaViolation(ROOT, message);
    }

    /** The violation as one line: {@code /method: integer found, string expected}. */
    @Override
    public String toString() {
        return pointer + ": " + message;
    }

    /** All violations, one line each, in order. */
    public static String render(List<SchemaViolation> violations) {
        return violations.stream().map(SchemaViolation::toString).collect(Collectors.joining("\n"));
    }
}
