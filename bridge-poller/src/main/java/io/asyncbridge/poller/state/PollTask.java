package io.asyncbridge.poller.state;

import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.UpstreamInfo;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.trace.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a restart needs to go on following a poll-mode task: one per in-flight task in the {@code poll-tasks} store,
 * keyed by taskId. The schedule (next due time, lease, attempt number) is not here: it lives in memory and is rebuilt
 * from these records when a partition is assigned, so a poll whose answer changes nothing writes nothing. Small on
 * purpose (a node holds up to a million of them): times are epoch millis and the encoding is binary
 * ({@link PollTaskSerde}).
 *
 * @param intervalIndex how many backoff intervals were used; the next one is {@code initial * multiplier^index}.
 *     It stops growing once the interval reaches {@code maxInterval}, so a long task stops writing it
 * @param lastProgress last progress reported on the progress topic, -1 when none
 * @param notFoundSinceMillis when the notification began answering 404 without a break, 0 when it does not; the
 *     404 grace window runs from here
 * @param notBeforeMillis the upstream asked not to be polled before this (Retry-After), 0 when it did not; a
 *     restart honours it too
 * @param cancelReason set while the provider's cancel call is being made for a forwarded cancel (the cancel's
 *     reason, never null then); null for a task that is followed. Kept, so a restart makes the call again
 */
public record PollTask(
    String provider,
    String notificationUrl,
    long submittedAtMillis,
    long acceptedAtMillis,
    long deadlineMillis,
    int httpStatus,
    Map<String, String> metadata,
    int intervalIndex,
    int lastProgress,
    long notFoundSinceMillis,
    long notBeforeMillis,
    TraceContext trace,
    String cancelReason) {

  public PollTask {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A task that is followed (not being cancelled). */
  public PollTask(String provider, String notificationUrl, long submittedAtMillis, long acceptedAtMillis,
      long deadlineMillis, int httpStatus, Map<String, String> metadata, int intervalIndex, int lastProgress,
      long notFoundSinceMillis, long notBeforeMillis, TraceContext trace) {
    this(provider, notificationUrl, submittedAtMillis, acceptedAtMillis, deadlineMillis, httpStatus, metadata,
        intervalIndex, lastProgress, notFoundSinceMillis, notBeforeMillis, trace, null);
  }

  /** A task without trace context. */
  public PollTask(String provider, String notificationUrl, long submittedAtMillis, long acceptedAtMillis,
      long deadlineMillis, int httpStatus, Map<String, String> metadata, int intervalIndex, int lastProgress,
      long notFoundSinceMillis, long notBeforeMillis) {
    this(provider, notificationUrl, submittedAtMillis, acceptedAtMillis, deadlineMillis, httpStatus, metadata,
        intervalIndex, lastProgress, notFoundSinceMillis, notBeforeMillis, null);
  }

  /** The same task with the W3C trace context its request carried. */
  public PollTask traced(TraceContext newTrace) {
    return new PollTask(provider, notificationUrl, submittedAtMillis, acceptedAtMillis, deadlineMillis, httpStatus,
        metadata, intervalIndex, lastProgress, notFoundSinceMillis, notBeforeMillis, newTrace, cancelReason);
  }

  /** The same task, to be cancelled: the provider's cancel call is made instead of polls. */
  public PollTask cancelling(String reason) {
    return new PollTask(provider, notificationUrl, submittedAtMillis, acceptedAtMillis, deadlineMillis, httpStatus,
        metadata, intervalIndex, lastProgress, notFoundSinceMillis, notBeforeMillis, trace,
        java.util.Objects.requireNonNull(reason, "reason"));
  }

  /** Whether a cancel call is being made for this task. */
  public boolean isCancelling() {
    return cancelReason != null;
  }

  /** A task just handed over by ingest. */
  public static PollTask accepted(TaskAccepted accepted) {
    Instant acceptedAt = accepted.acceptedAt() == null ? accepted.submittedAt() : accepted.acceptedAt();
    return new PollTask(accepted.provider(), accepted.notificationUrl(), accepted.submittedAt().toEpochMilli(),
        acceptedAt.toEpochMilli(), accepted.deadline().toEpochMilli(), accepted.httpStatus(), accepted.metadata(),
        0, -1, 0, 0, accepted.trace());
  }

  public Instant acceptedAt() {
    return Instant.ofEpochMilli(acceptedAtMillis);
  }

  public Instant deadline() {
    return Instant.ofEpochMilli(deadlineMillis);
  }

  /** The task's timeout as the request asked for it: from submission to deadline. */
  public Duration timeout() {
    return Duration.ofMillis(deadlineMillis - submittedAtMillis);
  }

  /** The facts every event of this task repeats. */
  public TaskOrigin origin(String taskId) {
    return new TaskOrigin(taskId, provider, Instant.ofEpochMilli(submittedAtMillis), acceptedAt(),
        UpstreamInfo.polled(httpStatus, notificationUrl), metadata);
  }

  /** The same task after an answer: what a restart would need to know of it now. */
  public PollTask answered(int newIntervalIndex, int newLastProgress, long newNotFoundSinceMillis,
      long newNotBeforeMillis) {
    return new PollTask(provider, notificationUrl, submittedAtMillis, acceptedAtMillis, deadlineMillis, httpStatus,
        metadata, newIntervalIndex, newLastProgress, newNotFoundSinceMillis, newNotBeforeMillis, trace, cancelReason);
  }
}
