package io.asyncbridge.schemas.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.Examples;
import io.asyncbridge.schemas.RequestMethod;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.schemas.validation.SchemaViolation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private static final EventSchemaValidator VALIDATOR = EventSchemaValidator.create();
    private static final ObjectMapper MAPPER = EventJson.newMapper();
    private final RequestParser parser = new RequestParser(VALIDATOR, MAPPER);

    @Test
    void parsesTheContractsExample() {
        ParsedRequest parsed = parser.parse(Examples.read(Path.of("examples/valid/task-request/contract.json")));

        assertThat(parsed).isInstanceOf(ParsedRequest.Valid.class);
        TaskRequest request = ((ParsedRequest.Valid) parsed).request();
        assertThat(request.taskId()).isEqualTo("db-create-42");
        assertThat(request.provider()).isEqualTo("acquia");
        assertThat(request.method()).isEqualTo(RequestMethod.POST);
        assertThat(request.path()).isEqualTo("/applications/9b1c.../databases");
        assertThat(request.query()).containsExactly(Map.entry("optional", "query parameters"));
        assertThat(request.headers()).containsExactly(Map.entry("X-Optional", "extra headers"));
        assertThat(request.body().toString()).isEqualTo("{\"name\":\"test_database_1\"}");
        assertThat(request.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(request.metadata()).containsEntry("any", "strings, echoed on every event of this task");
    }

    @Test
    void absentOptionalFieldsAreEmptyOrNull() {
        TaskRequest request = valid("{\"taskId\": \"t1\", \"provider\": \"acquia\", \"method\": \"GET\", \"body\": null}");

        assertThat(request.path()).isNull();
        assertThat(request.body()).isNull();
        assertThat(request.timeout()).isNull();
        assertThat(request.query()).isEmpty();
        assertThat(request.headers()).isEmpty();
        assertThat(request.metadata()).isEmpty();
    }

    @Test
    void everyTimeoutTheSchemaAcceptsIsADuration() {
        assertThat(valid(withTimeout("PT0.5S")).timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(valid(withTimeout("P1D")).timeout()).isEqualTo(Duration.ofDays(1));
        assertThat(valid(withTimeout("P999999999DT999999999H999999999M999999999.999999999S")).timeout())
                .isGreaterThan(Duration.ofDays(999_999_999));
    }

    @Test
    void invalidExamplesGiveTheValidatorsViolations() {
        for (Path example : Examples.invalid(EventType.TASK_REQUEST)) {
            byte[] value = Examples.read(example);

            ParsedRequest parsed = parser.parse(value);

            assertThat(parsed).as(example.toString()).isInstanceOf(ParsedRequest.Invalid.class);
            assertThat(((ParsedRequest.Invalid) parsed).violations()).isEqualTo(VALIDATOR.validate(EventType.TASK_REQUEST, value));
        }
    }

    @Test
    void nullEmptyAndBinaryValuesAreInvalidWithoutTaskId() {
        byte[][] values = {null, new byte[0], {0x1f, (byte) 0x8b, 0x08}, {(byte) 0xff, (byte) 0xfe, 0, 0}, "[]".getBytes()};
        for (byte[] value : values) {
            ParsedRequest parsed = parser.parse(value);

            assertThat(parsed).isInstanceOf(ParsedRequest.Invalid.class);
            ParsedRequest.Invalid invalid = (ParsedRequest.Invalid) parsed;
            assertThat(invalid.violations()).hasSize(1);
            assertThat(invalid.taskId()).isEmpty();
            assertThat(invalid.origin(Instant.EPOCH)).isEmpty();
            assertThat(parser.readableTaskId(value)).isEmpty();
        }
    }

    @Test
    void invalidRequestWithReadableTaskIdEarnsASchemaValidRejectedCompletion() {
        byte[] value = bytes("{\"taskId\": \"t-9\", \"provider\": \"acquia\", \"method\": 1, \"metadata\": {\"team\": \"a\"}}");

        ParsedRequest.Invalid invalid = (ParsedRequest.Invalid) parser.parse(value);
        TaskOrigin origin = invalid.origin(Instant.parse("2026-11-23T10:00:00Z")).orElseThrow();
        Completion rejected = Completion.rejected(origin, Instant.parse("2026-11-23T10:00:00.002Z"),
                TaskError.invalidRequest(invalid.violations()));

        assertThat(origin.taskId()).isEqualTo("t-9");
        assertThat(origin.provider()).isEqualTo("acquia");
        assertThat(origin.metadata()).containsExactly(Map.entry("team", "a"));
        assertThat(invalid.describe()).startsWith("/method: integer found, string expected");
        assertThat(VALIDATOR.validate(EventType.COMPLETION, MAPPER.valueToTree(rejected))).isEmpty();
    }

    @Test
    void unreadableProviderAndMetadataAreLeftOut() {
        byte[] value = bytes("{\"taskId\": \"t-9\", \"provider\": \"no spaces\", \"method\": \"GET\", \"metadata\": {\"n\": 1}}");

        ParsedRequest.Invalid invalid = (ParsedRequest.Invalid) parser.parse(value);

        assertThat(invalid.taskId()).contains("t-9");
        assertThat(invalid.provider()).isEmpty();
        assertThat(invalid.metadata()).isEmpty();
        assertThat(invalid.origin(Instant.EPOCH).orElseThrow().provider()).isNull();
    }

    @Test
    void readableTaskIdNeedsJsonAndAValidTaskId() {
        assertThat(parser.readableTaskId(bytes("{\"taskId\": \"ok:1\", \"method\": 5}"))).isEqualTo(Optional.of("ok:1"));
        assertThat(parser.readableTaskId(bytes("{\"taskId\": \"a b\"}"))).isEmpty();
        assertThat(parser.readableTaskId(bytes("{\"taskId\": \"" + "x".repeat(129) + "\"}"))).isEmpty();
        assertThat(parser.readableTaskId(bytes("{\"taskId\": 42}"))).isEmpty();
        assertThat(parser.readableTaskId(bytes("{\"taskId\": \"ok\", "))).isEmpty();
        assertThat(parser.readableTaskId(bytes("\"ok\""))).isEmpty();
        assertThat(parser.readableTaskId(null)).isEmpty();
    }

    @Test
    void invalidNeedsAViolation() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                new ParsedRequest.Invalid(java.util.List.of(), Optional.empty(), Optional.empty(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ParsedRequest.Invalid(java.util.List.of(SchemaViolation.atRoot("x")), Optional.empty(),
                Optional.empty(), Map.of()).describe()).isEqualTo("/: x");
    }

    private TaskRequest valid(String json) {
        ParsedRequest parsed = parser.parse(bytes(json));
        assertThat(parsed).as(json).isInstanceOf(ParsedRequest.Valid.class);
        return ((ParsedRequest.Valid) parsed).request();
    }

    @Test
    void aRecordWithACancelFieldIsReadAsACancel() {
        assertThat(parser.parse(bytes("{\"taskId\": \"t-1\", \"cancel\": true, \"reason\": \"not needed\"}")))
                .isEqualTo(new ParsedRequest.Cancel("t-1", Optional.of("not needed")));
        assertThat(parser.parse(bytes("{\"taskId\": \"t-1\", \"cancel\": true}")))
                .isEqualTo(new ParsedRequest.Cancel("t-1", Optional.empty()));
    }

    @Test
    void anInvalidCancelIsDeadLetteredButEndsNoTask() {
        ParsedRequest parsed = parser.parse(bytes(
                "{\"taskId\": \"t-1\", \"provider\": \"acquia\", \"method\": \"GET\", \"cancel\": true}"));

        assertThat(parsed).isInstanceOf(ParsedRequest.Invalid.class);
        ParsedRequest.Invalid invalid = (ParsedRequest.Invalid) parsed;
        assertThat(invalid.cancel()).isTrue();
        assertThat(invalid.taskId()).contains("t-1");
        assertThat(invalid.origin(Instant.EPOCH)).as("no rejected completion for a broken cancel").isEmpty();
        assertThat(invalid.describe()).contains("'provider' is not defined", "'method' is not defined");
    }

    private static String withTimeout(String timeout) {
        return "{\"taskId\": \"t1\", \"provider\": \"acquia\", \"method\": \"GET\", \"timeout\": \"" + timeout + "\"}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
