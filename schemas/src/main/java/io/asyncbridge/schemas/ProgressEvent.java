package io.asyncbridge.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Progress of a running task on {@code bridge.progress} (schema {@code progress.schema.json}).
 *
 * @param taskId         the task's id
 * @param provider       the task's provider
 * @param progress       estimated percentage done, 0-100
 * @param upstreamStatus the upstream's status word as received, or null
 * @param observedAt     when the bridge observed it
 * @param metadata       the request's metadata, empty when none
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"taskId", "provider", "progress", "upstreamStatus", "observedAt", "metadata"})
public record ProgressEvent(
        String taskId,
        String provider,
        int progress,
        String upstreamStatus,
        Instant observedAt,
        Map<String, String> metadata) {

    public ProgressEvent {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(provider, () -> "provider of task " + taskId);
        Objects.requireNonNull(observedAt, () -> "observedAt of task " + taskId);
        if (progress < 0 || progress > 100) {
            throw new IllegalArgumentException("progress of task " + taskId + " must be 0-100, was " + progress);
        }
        metadata = StringMaps.copyOf(metadata, "metadata of task " + taskId);
    }

    /** Progress of the task that {@code origin} describes. */
    public static ProgressEvent of(TaskOrigin origin, int progress, String upstreamStatus, Instant observedAt) {
        return new ProgressEvent(origin.taskId(), origin.provider(), progress, upstreamStatus, observedAt,
                origin.metadata());
    }
}
