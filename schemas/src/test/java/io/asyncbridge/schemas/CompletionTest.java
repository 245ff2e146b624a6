package io.asyncbridge.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.schemas.validation.SchemaViolation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The factories build every kind of completion so that it passes the schema: records and schema agree. */
class CompletionTest {

    private static final ObjectMapper MAPPER = EventJson.newMapper();
    private static final EventSchemaValidator VALIDATOR = EventSchemaValidator.create();
    private static final Instant SUBMITTED = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant ACCEPTED = Instant.parse("2026-11-23T10:00:01Z");
    private static final Instant COMPLETED = Instant.parse("2026-11-23T10:03:12.345678Z");

    private final TaskRequest request = new TaskRequest("db-create-42", "acquia", RequestMethod.POST,
            "/applications/1/databases", Map.of(), Map.of(), null, Duration.ofMinutes(30), Map.of("any", "strings"));
    private final TaskOrigin accepted = TaskOrigin.of(request, SUBMITTED)
            .accepted(ACCEPTED, UpstreamInfo.polled(202, "https://cloud.acquia.com/api/notifications/1111"));

    @Test
    void succeededMatchesTheSchemaWithExplicitNullsInTheContractsOrder() throws Exception {
        Completion completion = Completion.succeeded(accepted, Via.POLL, COMPLETED, json("{\"status\":\"completed\"}"));

        JsonNode written = assertSchemaValid(completion);

        assertThat(written.fieldNames()).toIterable().containsExactly("taskId", "provider", "status", "via",
                "submittedAt", "acceptedAt", "completedAt", "upstream", "result", "error", "metadata");
        assertThat(written.get("error").isNull()).isTrue();
        assertThat(written.get("status").asText()).isEqualTo("succeeded");
        assertThat(written.get("completedAt").asText()).isEqualTo("2026-11-23T10:03:12.345678Z");
        assertThat(written.get("upstream").toString())
                .isEqualTo("{\"httpStatus\":202,\"notificationUrl\":\"https://cloud.acquia.com/api/notifications/1111\",\"eventId\":null}");
        assertThat(written.get("metadata").toString()).isEqualTo("{\"any\":\"strings\"}");
    }

    @Test
    void succeededByCallbackWithoutResultMatchesTheSchema() {
        TaskOrigin callback = TaskOrigin.of(request, SUBMITTED).accepted(ACCEPTED, new UpstreamInfo(200, null, null));

        JsonNode written = assertSchemaValid(Completion.succeeded(callback, Via.CALLBACK, COMPLETED, null));

        assertThat(written.get("result").isNull()).isTrue();
        assertThat(written.get("via").asText()).isEqualTo("callback");
    }

    @Test
    void failedMatchesTheSchema() throws Exception {
        Completion completion = Completion.failed(accepted, Via.POLL, COMPLETED, json("{\"status\":\"failed\"}"),
                new TaskError(ErrorCode.UPSTREAM_FAILED, "the notification reported status 'failed'"));

        JsonNode written = assertSchemaValid(completion);

        assertThat(written.get("status").asText()).isEqualTo("failed");
        assertThat(written.get("error").get("code").asText()).isEqualTo("upstream_failed");
    }

    @Test
    void timedOutMatchesTheSchema() {
        JsonNode written = assertSchemaValid(Completion.timedOut(accepted, COMPLETED, Duration.ofMinutes(30)));

        assertThat(written.get("status").asText()).isEqualTo("timed_out");
        assertThat(written.get("via").asText()).isEqualTo("deadline");
        assertThat(written.get("error").get("code").asText()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED.code());
        assertThat(written.get("error").get("message").asText()).contains("PT30M");
    }

    @Test
    void rejectedByTheUpstreamMatchesTheSchema() throws Exception {
        TaskOrigin refused = TaskOrigin.of(request, SUBMITTED).refused(new UpstreamInfo(400, null, null));

        JsonNode written = assertSchemaValid(Completion.rejected(refused, COMPLETED, json("{\"error\":\"bad\"}"),
                new TaskError(ErrorCode.UPSTREAM_REJECTED, "the upstream answered 400")));

        assertThat(written.get("status").asText()).isEqualTo("rejected");
        assertThat(written.get("via").asText()).isEqualTo("ingest");
        assertThat(written.get("acceptedAt").isNull()).isTrue();
        assertThat(written.get("upstream").get("httpStatus").asInt()).isEqualTo(400);
    }

    @Test
    void rejectedInvalidRequestWithUnknownProviderMatchesTheSchema() {
        TaskOrigin unreadable = new TaskOrigin("t1", null, SUBMITTED, null, null, Map.of());
        TaskError error = TaskError.invalidRequest(List.of(SchemaViolation.atRoot("required property 'provider' not found")));

        JsonNode written = assertSchemaValid(Completion.rejected(unreadable, COMPLETED, error));

        assertThat(written.get("provider").isNull()).isTrue();
        assertThat(written.get("error").get("message").asText()).isEqualTo("/: required property 'provider' not found");
        assertThat(written.get("metadata").isObject()).isTrue();
    }

    @Test
    void constructorRefusesWhatTheSchemaRefuses() {
        assertThatThrownBy(() -> new Completion("t", "p", CompletionStatus.FAILED, Via.POLL, SUBMITTED, null, COMPLETED,
                null, null, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("error must be present");
        assertThatThrownBy(() -> new Completion("t", "p", CompletionStatus.SUCCEEDED, Via.POLL, SUBMITTED, null, COMPLETED,
                null, null, new TaskError("x", "y"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("error must be null");
        assertThatThrownBy(() -> new Completion("t", null, CompletionStatus.FAILED, Via.POLL, SUBMITTED, null, COMPLETED,
                null, null, new TaskError("x", "y"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider");
        assertThatThrownBy(() -> new TaskError("", "m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamInfo(99, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longViolationListsAreCutInTheErrorMessage() {
        List<SchemaViolation> many = java.util.stream.IntStream.range(0, 500)
                .mapToObj(i -> new SchemaViolation("/metadata/k" + i, "integer found, string expected")).toList();

        assertThat(TaskError.invalidRequest(many).message()).hasSize(TaskError.MAX_MESSAGE_LENGTH).endsWith("...");
    }

    @Test
    void progressFromAnOriginMatchesTheSchema() {
        ProgressEvent progress = ProgressEvent.of(accepted, 40, "in-progress", ACCEPTED.plusSeconds(30));

        assertThat(VALIDATOR.validate(EventType.PROGRESS, MAPPER.valueToTree(progress))).isEmpty();
        assertThat(VALIDATOR.validate(EventType.PROGRESS,
                MAPPER.valueToTree(ProgressEvent.of(accepted, 0, null, ACCEPTED)))).isEmpty();
        assertThatThrownBy(() -> ProgressEvent.of(accepted, 101, null, ACCEPTED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enumsUseTheContractsWords() {
        assertThat(MAPPER.valueToTree(CompletionStatus.TIMED_OUT).asText()).isEqualTo("timed_out");
        assertThat(CompletionStatus.TIMED_OUT.wireName()).isEqualTo("timed_out");
        assertThat(MAPPER.valueToTree(Via.DEADLINE).asText()).isEqualTo("deadline");
    }

    private static JsonNode assertSchemaValid(Completion completion) {
        JsonNode written = MAPPER.valueToTree(completion);
        assertThat(VALIDATOR.validate(EventType.COMPLETION, written)).as(written.toString()).isEmpty();
        return written;
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @org.junit.jupiter.api.Test
    void aResultTooLargeForAKafkaRecordIsReplacedByANoteOfItsSize() {
        com.fasterxml.jackson.databind.ObjectMapper json = EventJson.newMapper();
        TaskOrigin origin = new TaskOrigin("big-1", "acquia", java.time.Instant.parse("2026-11-23T10:00:00Z"), null, null,
                java.util.Map.of("team", "blue"));
        Completion small = Completion.succeeded(origin, Via.POLL, java.time.Instant.parse("2026-11-23T10:01:00Z"),
                json.createObjectNode().put("status", "completed"));
        Completion huge = Completion.succeeded(origin, Via.POLL, java.time.Instant.parse("2026-11-23T10:01:00Z"),
                json.createObjectNode().put("blob", "x".repeat(Completion.MAX_RESULT_BYTES)));

        assertThat(small.withBoundedResult(json)).isSameAs(small);
        Completion bounded = huge.withBoundedResult(json);
        assertThat(bounded.result().path("truncated").asBoolean()).isTrue();
        assertThat(bounded.result().path("bytes").asInt()).isGreaterThan(Completion.MAX_RESULT_BYTES);
        assertThat(bounded.status()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(bounded.metadata()).containsEntry("team", "blue");
    }
}
