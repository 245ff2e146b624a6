package io.asyncbridge.schemas.cloudevents;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.validation.EventType;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one place that writes the CloudEvents 1.0 Kafka headers (binary mode) of our events: the
 * record value stays the plain event JSON of {@code JsonSerde}, and the headers describe it.
 *
 * <p>Headers of a completion: {@code ce_specversion=1.0}, {@code ce_id=<taskId>:completion}
 * (deterministic, so a consumer can deduplicate), {@code ce_type=}{@value #COMPLETED_TYPE},
 * {@code ce_source=/async-bridge/providers/<provider>} ({@code /async-bridge} when the provider is
 * unknown), {@code ce_subject=<taskId>}, {@code ce_time=<completedAt>},
 * {@code ce_dataschema=<schema $id>}, {@code content-type=application/json}. Progress events get the
 * same with {@code ce_type=}{@value #PROGRESS_TYPE}, {@code ce_id=<taskId>:progress:<progress>}
 * and {@code ce_time=<observedAt>}.
 */
public final class CloudEventHeaders {

    public static final String COMPLETED_TYPE = "io.asyncbridge.task.completed";
    public static final String PROGRESS_TYPE = "io.asyncbridge.task.progress";
    public static final String SOURCE_ROOT = "/async-bridge";
    public static final String PROVIDER_SOURCE_PREFIX = SOURCE_ROOT + "/providers/";
    public static final String CONTENT_TYPE = "application/json";

    private CloudEventHeaders() {
    }

    /** The ce_id of a task's completion: {@code <taskId>:completion}. */
    public static String completionId(String taskId) {
        return taskId + ":completion";
    }

    /** The ce_id of a task's progress event: {@code <taskId>:progress:<progress>}. */
    public static String progressId(String taskId, int progress) {
        return taskId + ":progress:" + progress;
    }

    /** The ce_source of a provider's events; provider names are URI-safe by their pattern. */
    public static String source(String provider) {
        return provider == null ? SOURCE_ROOT : PROVIDER_SOURCE_PREFIX + provider;
    }

    /** New headers for a completion record. */
    public static Headers forCompletion(Completion completion) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(completionId(completion.taskId()))
                .withType(COMPLETED_TYPE)
                .withSource(URI.create(source(completion.provider())))
                .withSubject(completion.taskId())
                .withTime(completion.completedAt().atOffset(ZoneOffset.UTC))
                .withDataSchema(URI.create(EventType.COMPLETION.schemaId()))
                .withDataContentType(CONTENT_TYPE)
                .build();
        return write(event);
    }

    /** New headers for a progress record. */
    public static Headers forProgress(ProgressEvent progress) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(progressId(progress.taskId(), progress.progress()))
                .withType(PROGRESS_TYPE)
                .withSource(URI.create(source(progress.provider())))
                .withSubject(progress.taskId())
                .withTime(progress.observedAt().atOffset(ZoneOffset.UTC))
                .withDataSchema(URI.create(EventType.PROGRESS.schemaId()))
                .withDataContentType(CONTENT_TYPE)
                .build();
        return write(event);
    }

    private static Headers write(CloudEvent event) {
        Headers headers = new RecordHeaders();
        // The binding's own writer, so header names and time format follow the spec exactly. The
        // event carries no data: the record value is written by JsonSerde.
        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
            serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY), false);
            serializer.serialize("", headers, event);
        }
        return headers;
    }
}
