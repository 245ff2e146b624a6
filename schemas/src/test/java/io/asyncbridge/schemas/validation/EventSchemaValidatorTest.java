package io.asyncbridge.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.Identifiers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventSchemaValidatorTest {

    private static final EventSchemaValidator VALIDATOR = EventSchemaValidator.create();
    private static final ObjectMapper MAPPER = EventJson.newMapper();

    @Test
    void nullAndEmptyInputGiveOneViolationAtTheRoot() {
        assertThat(VALIDATOR.validate(EventType.TASK_REQUEST, (byte[]) null))
                .containsExactly(new SchemaViolation("/", "no value: expected a JSON object, got null"));
        assertThat(VALIDATOR.validate(EventType.TASK_REQUEST, new byte[0]))
                .containsExactly(new SchemaViolation("/", "no value: expected a JSON object, got 0 bytes"));
        assertThat(VALIDATOR.validate(EventType.TASK_REQUEST, " \n\t "))
                .containsExactly(new SchemaViolation("/", "no value: expected a JSON object, got only whitespace"));
    }

    @Test
    void textThatIsNotJsonSaysSoAndWhere() {
        List<SchemaViolation> violations = VALIDATOR.validate(EventType.TASK_REQUEST, "{\"taskId\": \"a\",\n  oops}");

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).pointer()).isEqualTo("/");
        assertThat(violations.get(0).message()).startsWith("not JSON at line 2, column 3: ");
    }

    @Test
    void binaryInputIsReportedAsNotJson() {
        byte[] gzipHeader = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00};
        byte[] invalidUtf8 = {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'};

        assertThat(VALIDATOR.validate(EventType.TASK_REQUEST, gzipHeader)).singleElement()
                .satisfies(v -> assertThat(v.toString()).startsWith("/: not JSON at line 1, column 1: "));
        assertThat(VALIDATOR.validate(EventType.TASK_REQUEST, invalidUtf8)).singleElement()
                .satisfies(v -> assertThat(v.message()).startsWith("not JSON at line 1"));
    }

    @Test
    void trailingGarbageAndDuplicateKeysAreNotJson() {
        assertThat(VALIDATOR.validate(EventType.TASK_REQUEST, "{\"taskId\":\"t\",\"provider\":\"p\",\"method\":\"GET\"} {}"))
                .singleElement().satisfies(v -> assertThat(v.message()).startsWith("not JSON"));
        assertThat(VALIDATOR.validate(EventType.TASK_REQUEST, "{\"taskId\":\"t\",\"provider\":\"p\",\"method\":\"GET\",\"taskId\":\"u\"}"))
                .singleElement().satisfies(v -> assertThat(v.message()).contains("Duplicate Object property \"taskId\""));
    }

    @Test
    void reportsEveryViolationNotOnlyTheFirst() {
        String json = "{\"taskId\": \"a b\", \"provider\": \"acquia\", \"method\": 1, \"timout\": \"PT1M\"}";

        assertThat(VALIDATOR.validate(EventType.TASK_REQUEST, json)).extracting(SchemaViolation::toString).containsExactly(
                "/taskId: does not match the regex pattern ^[A-Za-z0-9._:-]{1,128}$",
                "/method: integer found, string expected",
                "/method: does not have a value in the enumeration [\"GET\", \"POST\", \"PUT\", \"PATCH\", \"DELETE\"]",
                "/: property 'timout' is not defined in the schema and the schema does not allow additional properties");
    }

    @Test
    void dateTimeFormatIsAsserted() {
        String progress = "{\"taskId\":\"t\",\"provider\":\"p\",\"progress\":1,\"upstreamStatus\":null,"
                + "\"observedAt\":\"not a time\",\"metadata\":{}}";

        assertThat(VALIDATOR.validate(EventType.PROGRESS, progress)).extracting(SchemaViolation::pointer)
                .containsExactly("/observedAt");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        String bad = "{\"taskId\": 7, \"provider\": \"acquia\", \"method\": \"GET\"}";
        String good = "{\"taskId\": \"t\", \"provider\": \"acquia\", \"method\": \"GET\"}";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> VALIDATOR.validate(EventType.TASK_REQUEST, good).isEmpty()
                        && VALIDATOR.validate(EventType.TASK_REQUEST, bad).size() == 1));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void packagedSchemaIsTheFileAtTheModuleRoot(EventType type) throws IOException {
        try (InputStream packaged = getClass().getClassLoader().getResourceAsStream(type.schemaResource())) {
            assertThat(packaged).as(type.schemaResource()).isNotNull();
            assertThat(new String(packaged.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(Files.readString(Path.of(type.schemaFileName())));
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaDeclaresItsIdDraftAndDocumentsEveryProperty(EventType type) throws IOException {
        JsonNode schema = MAPPER.readTree(Path.of(type.schemaFileName()).toFile());

        assertThat(schema.path("$id").asText()).isEqualTo(type.schemaId());
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("title").asText()).isNotBlank();
        assertDocumented(schema.path("properties"), type.schemaName());
    }

    private static void assertDocumented(JsonNode properties, String where) {
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            String path = where + "." + property.getKey();
            assertThat(property.getValue().path("title").asText()).as("title of %s", path).isNotBlank();
            assertThat(property.getValue().path("description").asText()).as("description of %s", path).isNotBlank();
            assertDocumented(property.getValue().path("properties"), path);
        }
    }

    @Test
    void javaIdentifierPatternsAreTheSchemaPatterns() throws IOException {
        for (EventType type : EventType.values()) {
            JsonNode properties = MAPPER.readTree(Path.of(type.schemaFileName()).toFile()).path("properties");
            assertThat(properties.path("taskId").path("pattern").asText()).as(type.schemaName())
                    .isEqualTo(Identifiers.TASK_ID.pattern());
            if (type != EventType.TASK_CANCEL) { // a cancel names only its task
                assertThat(properties.path("provider").path("pattern").asText()).as(type.schemaName())
                        .isEqualTo(Identifiers.PROVIDER.pattern());
            }
        }
    }
}
