package io.asyncbridge.poller.state;

import io.asyncbridge.core.task.TaskAccepted;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.UpstreamInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the poller keeps per in-flight task (one per task in the {@code poll-tasks} store; the key is the taskId).
 * Small on purpose: a node holds up to a million of them, so times are epoch millis and the encoding is binary
 * ({@link PollTaskSerde}).
 *
 * @param partition the partition of the record that created the task; its observations are written there
 * @param attempt number of the last poll handed to the dispatcher (0 before the first)
 * @param awaiting whether the answer to {@code attempt} is still expected; a second answer is ignored
 * @param intervalIndex how many backoff intervals were used; the next one is {@code initial * multiplier^index}
 * @param lastProgress last progress reported on the progress topic, -1 when none
 * @param nextDueAtMillis when the task is next due (poll or deadline); its entry in the due index
 */
public record PollTask(
    String provider,
    String notificationUrl,
    long submittedAtMillis,
    long acceptedAtMillis,
    long deadlineMillis,
    int httpStatus,
    Map<String, String> metadata,
    int partition,
    int attempt,
    boolean awaiting,
    int intervalIndex,
    int lastProgress,
    long nextDueAtMillis) {

  public PollTask {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A task just handed over by ingest, first due at {@code firstDue}. */
  public static PollTask accepted(TaskAccepted accepted, int partition, Instant firstDue) {
    Instant acceptedAt = accepted.acceptedAt() == null ? accepted.submittedAt() : accepted.acceptedAt();
    return new PollTask(accepted.provider(), accepted.notificationUrl(), accepted.submittedAt().toEpochMilli(),
        acceptedAt.toEpochMilli(), accepted.deadline().toEpochMilli(), accepted.httpStatus(), accepted.metadata(),
        partition, 0, false, 0, -1, firstDue.toEpochMilli());
  }

  public Instant acceptedAt() {
    return Instant.ofEpochMilli(acceptedAtMillis);
  }

  public Instant deadline() {
    return Instant.ofEpochMilli(deadlineMillis);
  }

  public Instant nextDueAt() {
    return Instant.ofEpochMilli(nextDueAtMillis);
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

  /** A poll was handed to the dispatcher; if no answer arrives by {@code leaseUntil} the task is due again. */
  public PollTask leased(int newAttempt, Instant leaseUntil) {
    return new PollTask(provider, notificationUrl, submittedAtMillis, acceptedAtMillis, deadlineMillis, httpStatus,
        metadata, partition, newAttempt, true, intervalIndex, lastProgress, leaseUntil.toEpochMilli());
  }

  /** The answer arrived; the next poll is due at {@code nextDue}. */
  public PollTask answered(int newIntervalIndex, int newLastProgress, Instant nextDue) {
    return new PollTask(provider, notificationUrl, submittedAtMillis, acceptedAtMillis, deadlineMillis, httpStatus,
        metadata, partition, attempt, false, newIntervalIndex, newLastProgress, nextDue.toEpochMilli());
  }

  /** The same task, due again at {@code nextDue} without a poll (e.g. its provider is unknown here). */
  public PollTask dueAt(Instant nextDue) {
    return new PollTask(provider, notificationUrl, submittedAtMillis, acceptedAtMillis, deadlineMillis, httpStatus,
        metadata, partition, attempt, awaiting, intervalIndex, lastProgress, nextDue.toEpochMilli());
  }
}
