package io.asyncbridge.ingest.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.asyncbridge.schemas.TaskRequest;
import java.time.Instant;

/**
 * What ingest keeps per taskId: the dispatch state while the task is being sent upstream, then a small
 * {@code DONE} marker that deduplicates later requests with the same taskId until it expires.
 *
 * @param attempt number of the latest intent (each intent is one possible upstream call)
 * @param failures retriable failures so far, compared with the provider's maxAttempts
 * @param epoch the processor incarnation that wrote the latest intent or made the call
 * @param due when the task's entry in the due index fires
 * @param request kept only until the task is handed over or ends
 * @param ended how a {@code DONE} task left ingest (for the status API and re-driving dead letters); null in
 *     markers written before it was kept
 * @param trace the W3C trace context of the request record, kept until the task is handed over or ends
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestTask(
    State state,
    int attempt,
    int failures,
    String epoch,
    int partition,
    Instant submittedAt,
    Instant deadline,
    Instant due,
    String lastError,
    TaskRequest request,
    Ended ended,
    io.asyncbridge.schemas.trace.TraceContext trace) {

  /**
   * How a task left ingest.
   *
   * @param outcome {@code handed_over}, {@code rejected} (dead-lettered as invalid), {@code upstream_rejected},
   *     {@code failed} or {@code timed_out}
   * @param mode the path it was handed to, for {@code handed_over}
   * @param correlationId the upstream's id for its webhook, for a callback-mode hand-over
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Ended(String outcome, String provider, io.asyncbridge.schemas.task.TaskMode mode, String correlationId) {

    public static final String REJECTED = "rejected";

    public static Ended of(String outcome, String provider) {
      return new Ended(outcome, provider, null, null);
    }
  }

  public IngestTask(State state, int attempt, int failures, String epoch, int partition, Instant submittedAt,
      Instant deadline, Instant due, String lastError, TaskRequest request) {
    this(state, attempt, failures, epoch, partition, submittedAt, deadline, due, lastError, request, null, null);
  }

  /** Where a task stands in ingest. */
  public enum State {
    /** Waiting to be sent (first attempt, or a retry after backoff). */
    PENDING,
    /** An intent is written; its GO record has not been read back yet. */
    INTENT,
    /** The call was made (or may have been made, by an earlier incarnation); waiting for its result. */
    SENDING,
    /** Handed over or ended; kept only to deduplicate the taskId. */
    DONE
  }

  /** What a completion of this task repeats, before the upstream accepted it (only while the request is kept). */
  public io.asyncbridge.schemas.TaskOrigin origin(String taskId) {
    return new io.asyncbridge.schemas.TaskOrigin(taskId, request.provider(), submittedAt, null, null, request.metadata());
  }

  public IngestTask with(State newState, int newAttempt, String newEpoch, Instant newDue) {
    return new IngestTask(newState, newAttempt, failures, newEpoch, partition, submittedAt, deadline, newDue, lastError,
        request, null, trace);
  }

  public IngestTask failedOnce(String error, Instant newDue) {
    return new IngestTask(State.PENDING, attempt, failures + 1, epoch, partition, submittedAt, deadline, newDue, error,
        request, null, trace);
  }

  public static IngestTask done(int partition, Instant submittedAt, Instant expiresAt) {
    return done(partition, submittedAt, expiresAt, null);
  }

  public static IngestTask done(int partition, Instant submittedAt, Instant expiresAt, Ended ended) {
    return new IngestTask(State.DONE, 0, 0, null, partition, submittedAt, null, expiresAt, null, null, ended, null);
  }

  /** Whether this marker is of a task that ended dead-lettered as invalid, never sent upstream. */
  public boolean endedRejected() {
    return state == State.DONE && ended != null && Ended.REJECTED.equals(ended.outcome());
  }
}
