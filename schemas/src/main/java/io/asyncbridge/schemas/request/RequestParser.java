package io.asyncbridge.schemas.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.Identifiers;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.schemas.validation.SchemaViolation;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the raw value of a {@code bridge.requests} record into a {@link ParsedRequest}: schema
 * first, then the record. It never throws on bad input (null, empty, binary, wrong shape), so
 * one bad record cannot block a partition. Thread-safe.
 */
public final class RequestParser {

    private final EventSchemaValidator validator;
    private final ObjectMapper mapper;

    public RequestParser(EventSchemaValidator validator, ObjectMapper mapper) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** A parser with its own validator and {@link EventJson} mapper. */
    public static RequestParser create() {
        return new RequestParser(EventSchemaValidator.create(), EventJson.newMapper());
    }

    public ParsedRequest parse(byte[] value) {
        if (isCancel(value)) {
            return parseCancel(value);
        }
        List<SchemaViolation> violations = validator.validate(EventType.TASK_REQUEST, value);
        if (violations.isEmpty()) {
            try {
                return new ParsedRequest.Valid(mapper.readValue(value, TaskRequest.class));
            } catch (IOException | RuntimeException e) {
                // The schema admitted it, so this is a gap between schema and record: report, don't throw.
                violations = List.of(SchemaViolation.atRoot("valid JSON but not a task request: "
                        + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())));
            }
        }
        JsonNode tree = readTree(value).orElse(null);
        return new ParsedRequest.Invalid(violations, taskIdOf(tree), providerOf(tree), metadataOf(tree));
    }

    /** A record whose value is a JSON object with a {@code cancel} field is read as the cancel form. */
    private boolean isCancel(byte[] value) {
        if (value == null || value.length == 0 || value.length > MAX_CANCEL_BYTES) {
            return false; // a cancel is small: a large value is a request, or broken, either way not this form
        }
        JsonNode tree = readTree(value).orElse(null);
        return tree != null && tree.isObject() && tree.has("cancel");
    }

    private ParsedRequest parseCancel(byte[] value) {
        List<SchemaViolation> violations = validator.validate(EventType.TASK_CANCEL, value);
        JsonNode tree = readTree(value).orElse(null);
        if (!violations.isEmpty()) {
            return new ParsedRequest.Invalid(violations, taskIdOf(tree), Optional.empty(), Map.of(), true);
        }
        return new ParsedRequest.Cancel(tree.get("taskId").textValue(), textField(tree, "reason").filter(r -> !r.isBlank()));
    }

    /** Far above what the cancel form can hold (a 128-character id and a 1024-character reason). */
    private static final int MAX_CANCEL_BYTES = 16 * 1024;

    /**
     * The taskId of {@code value} when it is JSON whose {@code taskId} is a string matching the
     * contract's pattern, whatever else is wrong with it; empty otherwise.
     */
    public Optional<String> readableTaskId(byte[] value) {
        return taskIdOf(readTree(value).orElse(null));
    }

    private Optional<JsonNode> readTree(byte[] value) {
        if (value == null || value.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(mapper.readTree(value));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> taskIdOf(JsonNode tree) {
        return textField(tree, "taskId").filter(Identifiers::isTaskId);
    }

    private static Optional<String> providerOf(JsonNode tree) {
        return textField(tree, "provider").filter(Identifiers::isProvider);
    }

    private static Optional<String> textField(JsonNode tree, String name) {
        if (tree == null || !tree.isObject()) {
            return Optional.empty();
        }
        JsonNode field = tree.get(name);
        return field != null && field.isTextual() ? Optional.of(field.textValue()) : Optional.empty();
    }

    private static Map<String, String> metadataOf(JsonNode tree) {
        JsonNode metadata = tree != null && tree.isObject() ? tree.get("metadata") : null;
        if (metadata == null || !metadata.isObject()) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
            if (!entry.getValue().isTextual()) {
                return Map.of();
            }
            result.put(entry.getKey(), entry.getValue().textValue());
        }
        return result;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
