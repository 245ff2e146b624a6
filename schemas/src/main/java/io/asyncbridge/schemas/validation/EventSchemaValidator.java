package io.asyncbridge.schemas.validation;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates events against the contract's JSON Schemas (draft 2020-12, format assertions on, so
 * a malformed date-time is an error). The schemas are read once from the classpath; an instance
 * is immutable and thread-safe, so one is shared by a whole process.
 *
 * <p>Every violation is reported, never only the first. Input that is not JSON at all (empty,
 * binary, truncated) gives exactly one violation at the root saying so and where, never an
 * exception.
 */
public final class EventSchemaValidator {

    private static final int MAX_PARSE_MESSAGE = 200;

    private final Map<EventType, Schema> schemas;
    // Jackson 3 (the validator's own JSON library), configured as strictly as EventJson's reader.
    private final JsonMapper jsonReader;

    private EventSchemaValidator(Map<EventType, Schema> schemas, JsonMapper jsonReader) {
        this.schemas = schemas;
        this.jsonReader = jsonReader;
    }

    /** Loads every event type's schema from the classpath; fails fast if one is missing or invalid. */
    public static EventSchemaValidator create() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config));
        Map<EventType, Schema> schemas = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            Schema schema = registry.getSchema(readResource(type));
            // Build every keyword validator now, not lazily on the first validate() of some thread.
            schema.initializeValidators();
            schemas.put(type, schema);
        }
        JsonMapper reader = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        return new EventSchemaValidator(Map.copyOf(schemas), reader);
    }

    private static String readResource(EventType type) {
        ClassLoader loader = EventSchemaValidator.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(type.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("schema " + type.schemaResource() + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + type.schemaResource(), e);
        }
    }

    /** Violations of {@code json} (raw bytes, e.g. a Kafka record value; null allowed); empty when valid. */
    public List<SchemaViolation> validate(EventType type, byte[] json) {
        if (json == null) {
            return List.of(SchemaViolation.atRoot("no value: expected a JSON object, got null"));
        }
        if (json.length == 0) {
            return List.of(SchemaViolation.atRoot("no value: expected a JSON object, got 0 bytes"));
        }
        JsonNode node;
        try {
            node = jsonReader.readTree(json);
        } catch (JacksonException e) {
            return List.of(notJson(e));
        }
        return validateTree(type, node);
    }

    /** Violations of {@code json} text (null allowed); empty when valid. */
    public List<SchemaViolation> validate(EventType type, String json) {
        return validate(type, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** Violations of a Jackson 2 tree (the form the event records serialize to); empty when valid. */
    public List<SchemaViolation> validate(EventType type, com.fasterxml.jackson.databind.JsonNode tree) {
        return validate(type, tree == null ? null : tree.toString());
    }

    private List<SchemaViolation> validateTree(EventType type, JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return List.of(SchemaViolation.atRoot("no value: expected a JSON object, got only whitespace"));
        }
        List<Error> errors = schemas.get(type).validate(node);
        List<SchemaViolation> violations = new ArrayList<>(errors.size());
        for (Error error : errors) {
            violations.add(new SchemaViolation(error.getInstanceLocation().toString(), error.getMessage()));
        }
        return List.copyOf(violations);
    }

    private static SchemaViolation notJson(JacksonException e) {
        String reason = e.getOriginalMessage();
        if (reason == null) {
            reason = e.getClass().getSimpleName();
        }
        // Jackson appends a source reference ("start marker at [Source: REDACTED ...]") that only adds noise.
        reason = reason.replaceAll(" \\(start marker at \\[Source:.*$", "").replaceAll("\\s+", " ").trim();
        if (reason.length() > MAX_PARSE_MESSAGE) {
            reason = reason.substring(0, MAX_PARSE_MESSAGE - 3) + "...";
        }
        TokenStreamLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return SchemaViolation.atRoot("not JSON" + where + ": " + reason);
    }
}
