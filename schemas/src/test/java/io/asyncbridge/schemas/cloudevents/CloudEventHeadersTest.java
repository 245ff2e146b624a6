package io.asyncbridge.schemas.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.UpstreamInfo;
import io.asyncbridge.schemas.Via;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTest {

    private static final Instant SUBMITTED = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant COMPLETED = Instant.parse("2026-11-23T10:03:12Z");
    private final TaskOrigin origin = new TaskOrigin("db-create-42", "acquia", SUBMITTED, SUBMITTED.plusSeconds(1),
            UpstreamInfo.polled(202, "https://cloud.acquia.com/api/notifications/1"), Map.of("any", "strings"));

    @Test
    void completionHeadersFollowTheKafkaBindingInBinaryMode() {
        Headers headers = CloudEventHeaders.forCompletion(Completion.succeeded(origin, Via.POLL, COMPLETED, null));

        assertThat(asMap(headers)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ce_specversion", "1.0",
                "ce_id", "db-create-42:completion",
                "ce_type", "io.asyncbridge.task.completed",
                "ce_source", "/async-bridge/providers/acquia",
                "ce_subject", "db-create-42",
                "ce_time", "2026-11-23T10:03:12Z",
                "ce_dataschema", "https://asyncbridge.io/schemas/completion.schema.json",
                "content-type", "application/json"));
    }

    @Test
    void theBindingReadsTheHeadersBackAsTheSameEvent() {
        Completion completion = Completion.timedOut(origin, COMPLETED, java.time.Duration.ofMinutes(30));
        byte[] value = "{}".getBytes(StandardCharsets.UTF_8);

        CloudEvent event = KafkaMessageFactory.createReader(CloudEventHeaders.forCompletion(completion), value).toEvent();

        assertThat(event.getSpecVersion()).isEqualTo(SpecVersion.V1);
        assertThat(event.getId()).isEqualTo("db-create-42:completion");
        assertThat(event.getType()).isEqualTo(CloudEventHeaders.COMPLETED_TYPE);
        assertThat(event.getSource()).isEqualTo(URI.create("/async-bridge/providers/acquia"));
        assertThat(event.getSubject()).isEqualTo("db-create-42");
        assertThat(event.getTime()).isEqualTo(COMPLETED.atOffset(ZoneOffset.UTC));
        assertThat(event.getDataContentType()).isEqualTo("application/json");
    }

    @Test
    void theIdIsTheSameForEveryCompletionOfATaskSoConsumersCanDeduplicate() {
        Headers first = CloudEventHeaders.forCompletion(Completion.succeeded(origin, Via.POLL, COMPLETED, null));
        Headers second = CloudEventHeaders.forCompletion(Completion.failed(origin, Via.CALLBACK, COMPLETED.plusSeconds(9),
                null, new TaskError(ErrorCode.UPSTREAM_FAILED, "x")));

        assertThat(asMap(first).get("ce_id")).isEqualTo(asMap(second).get("ce_id"));
    }

    @Test
    void rejectedCompletionWithoutProviderHasTheBridgeAsSource() {
        TaskOrigin unreadable = new TaskOrigin("t1", null, SUBMITTED, null, null, Map.of());
        Completion rejected = Completion.rejected(unreadable, COMPLETED, new TaskError(ErrorCode.INVALID_REQUEST, "x"));

        assertThat(asMap(CloudEventHeaders.forCompletion(rejected))).containsEntry("ce_source", "/async-bridge");
    }

    @Test
    void progressHeaders() {
        ProgressEvent progress = ProgressEvent.of(origin, 40, "in-progress", Instant.parse("2026-11-23T10:01:00.5Z"));

        assertThat(asMap(CloudEventHeaders.forProgress(progress)))
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_id", "db-create-42:progress:40")
                .containsEntry("ce_type", "io.asyncbridge.task.progress")
                .containsEntry("ce_source", "/async-bridge/providers/acquia")
                .containsEntry("ce_subject", "db-create-42")
                .containsEntry("ce_time", "2026-11-23T10:01:00.5Z")
                .containsEntry("content-type", "application/json");
    }

    private static Map<String, String> asMap(Headers headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Header header : headers) {
            assertThat(map).as("header %s appears once", header.key()).doesNotContainKey(header.key());
            map.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return map;
    }
}
