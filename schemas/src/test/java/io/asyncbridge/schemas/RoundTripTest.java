package io.asyncbridge.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every valid example read into its record and written back is schema-valid and says the same thing. */
class RoundTripTest {

    private static final ObjectMapper MAPPER = EventJson.newMapper();
    private static final EventSchemaValidator VALIDATOR = EventSchemaValidator.create();
    private static final Map<EventType, Class<?>> RECORDS = Map.of(
            EventType.TASK_REQUEST, TaskRequest.class,
            EventType.COMPLETION, Completion.class,
            EventType.PROGRESS, ProgressEvent.class);
    private static final Set<String> TIMESTAMPS = Set.of("submittedAt", "acceptedAt", "completedAt", "observedAt");

    @TestFactory
    Stream<DynamicTest> validExamplesRoundTrip() {
        List<DynamicTest> tests = new ArrayList<>();
        for (EventType type : RECORDS.keySet()) { // the cancel form is read by RequestParser, not into a record
            for (Path example : Examples.valid(type)) {
                tests.add(DynamicTest.dynamicTest(type.schemaName() + "/" + example.getFileName(), () -> {
                    JsonNode original = MAPPER.readTree(Examples.read(example));

                    Object event = MAPPER.readValue(Examples.read(example), RECORDS.get(type));
                    JsonNode written = MAPPER.readTree(MAPPER.writeValueAsBytes(event));

                    assertThat(VALIDATOR.validate(type, written)).isEmpty();
                    assertThat(normalized(written)).isEqualTo(normalized(withoutAbsentValues(original)));
                    assertThat(MAPPER.readValue(MAPPER.writeValueAsBytes(event), RECORDS.get(type))).isEqualTo(event);
                }));
            }
        }
        return tests.stream();
    }

    /** Optional request fields given as null or {} are the same as absent ones, which the writer omits. */
    private static JsonNode withoutAbsentValues(JsonNode original) {
        ObjectNode copy = original.deepCopy();
        if (!copy.has("status") && !copy.has("progress")) {
            copy.properties().removeIf(field -> field.getValue().isNull()
                    || (field.getValue().isObject() && field.getValue().isEmpty()));
        }
        return copy;
    }

    /** Timestamps compare as instants (+00:00 equals Z) and durations as durations (P1D equals PT24H). */
    private static JsonNode normalized(JsonNode tree) {
        ObjectNode copy = tree.deepCopy();
        for (String field : TIMESTAMPS) {
            if (copy.path(field).isTextual()) {
                copy.set(field, TextNode.valueOf(OffsetDateTime.parse(copy.get(field).asText()).toInstant().toString()));
            }
        }
        if (copy.path("timeout").isTextual()) {
            copy.set("timeout", TextNode.valueOf(Duration.parse(copy.get("timeout").asText()).toString()));
        }
        return copy;
    }
}
