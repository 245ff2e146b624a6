package io.asyncbridge.schemas;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What is known about a task before it ends: the facts every completion repeats. The
 * {@code Completion} factories take one, so each kind of completion is built from the same facts.
 *
 * @param taskId      the task's id
 * @param provider    the provider, or null only for a request whose provider could not be read
 * @param submittedAt when the request reached the bridge
 * @param acceptedAt  when the upstream accepted the task, or null
 * @param upstream    the upstream's answer to the starting call, or null when no call was made
 * @param metadata    the request's metadata, empty when none
 */
public record TaskOrigin(
        String taskId,
        String provider,
        Instant submittedAt,
        Instant acceptedAt,
        UpstreamInfo upstream,
        Map<String, String> metadata) {

    public TaskOrigin {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(submittedAt, () -> "submittedAt of task " + taskId);
        metadata = StringMaps.copyOf(metadata, "metadata of task " + taskId);
    }

    /** A request that reached the bridge and was not sent upstream yet. */
    public static TaskOrigin of(TaskRequest request, Instant submittedAt) {
        return new TaskOrigin(request.taskId(), request.provider(), submittedAt, null, null, request.metadata());
    }

    /** This origin after the upstream answered the starting call. */
    public TaskOrigin accepted(Instant newAcceptedAt, UpstreamInfo newUpstream) {
        return new TaskOrigin(taskId, provider, submittedAt, newAcceptedAt, newUpstream, metadata);
    }

    /** This origin with the upstream answer but no acceptance (the upstream refused the task). */
    public TaskOrigin refused(UpstreamInfo newUpstream) {
        return new TaskOrigin(taskId, provider, submittedAt, null, newUpstream, metadata);
    }
}
