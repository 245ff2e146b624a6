package io.asyncbridge.schemas.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.asyncbridge.schemas.trace.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The internal event that hands a task from ingest to the service that follows it: written to the tasks topic,
 * keyed by taskId, once the upstream accepted the request. The poller takes {@code POLL} tasks, the callbacks
 * service {@code CALLBACK} tasks. Kept small: the services hold one per in-flight task in their stores.
 *
 * @param notificationUrl poll mode: where to follow the task (already checked against the provider's allow-list)
 * @param correlationId callback mode: the id the upstream's webhook carries (Cloud Elements' eventId), or null
 * @param firstPollDelay poll mode: how long after {@code acceptedAt} the upstream asked to be polled first (the
 *     {@code Retry-After} of its accept answer), or null; records written before this field existed read as null
 * @param trace the W3C trace context the request record carried, or null
 * @param cancel set on a cancel record only ({@link #cancelOf}): the task is to be cancelled, not followed
 */
public record TaskAccepted(
    String taskId,
    String provider,
    TaskMode mode,
    Instant submittedAt,
    Instant acceptedAt,
    Instant deadline,
    int httpStatus,
    String notificationUrl,
    String correlationId,
    Map<String, String> metadata,
    @JsonInclude(JsonInclude.Include.NON_NULL) Duration firstPollDelay,
    @JsonInclude(JsonInclude.Include.NON_NULL) TraceContext trace,
    @JsonInclude(JsonInclude.Include.NON_NULL) TaskCancel cancel) {

  public TaskAccepted {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    if (firstPollDelay != null && firstPollDelay.isNegative()) {
      firstPollDelay = Duration.ZERO;
    }
  }

  /** A hand-off (not a cancel). */
  public TaskAccepted(String taskId, String provider, TaskMode mode, Instant submittedAt, Instant acceptedAt,
      Instant deadline, int httpStatus, String notificationUrl, String correlationId, Map<String, String> metadata,
      Duration firstPollDelay, TraceContext trace) {
    this(taskId, provider, mode, submittedAt, acceptedAt, deadline, httpStatus, notificationUrl, correlationId, metadata,
        firstPollDelay, trace, null);
  }

  /**
   * A cancel of a handed-over task, keyed by its taskId on the tasks topic like its hand-off. Its {@code mode} is
   * null (the mode is in the marker): readers from before cancels existed skip records without a mode, so during a
   * rolling upgrade an old poller or callbacks service ignores a cancel instead of taking it for a new task.
   *
   * @param correlationId the task's correlation id (callback mode), which the callbacks service keys it by
   */
  public static TaskAccepted cancelOf(String taskId, String provider, TaskMode mode, String correlationId,
      String reason, Instant requestedAt) {
    return new TaskAccepted(taskId, provider, null, null, null, null, 0, null, correlationId, Map.of(), null, null,
        new TaskCancel(mode, reason, requestedAt));
  }

  /** Whether this record cancels its task rather than hands it over. */
  public boolean cancels() {
    return cancel != null;
  }

  /** A hand-off without a first-poll delay (every callback task, and poll tasks whose upstream named none). */
  public TaskAccepted(String taskId, String provider, TaskMode mode, Instant submittedAt, Instant acceptedAt,
      Instant deadline, int httpStatus, String notificationUrl, String correlationId, Map<String, String> metadata) {
    this(taskId, provider, mode, submittedAt, acceptedAt, deadline, httpStatus, notificationUrl, correlationId, metadata,
        null, null);
  }

  /** A hand-off without trace context. */
  public TaskAccepted(String taskId, String provider, TaskMode mode, Instant submittedAt, Instant acceptedAt,
      Instant deadline, int httpStatus, String notificationUrl, String correlationId, Map<String, String> metadata,
      Duration firstPollDelay) {
    this(taskId, provider, mode, submittedAt, acceptedAt, deadline, httpStatus, notificationUrl, correlationId, metadata,
        firstPollDelay, null);
  }
}
