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
    TaskRequest request) {

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
        request);
  }

  public IngestTask failedOnce(String error, Instant newDue) {
    return new IngestTask(State.PENDING, attempt, failures + 1, epoch, partition, submittedAt, deadline, newDue, error,
        request);
  }

  public static IngestTask done(int partition, Instant submittedAt, Instant expiresAt) {
    return new IngestTask(State.DONE, 0, 0, null, partition, submittedAt, null, expiresAt, null, null);
  }
}
