package io.asyncbridge.poller.poll;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The answer to one poll, classified by the HTTP side and handed to the owning stream task through its
 * {@link PollAnswerQueue}; the topology alone decides what it means for the task.
 *
 * @param statusWord the upstream's status word as received, or null
 * @param progress 0-100 when the answer carried a usable estimate, else null
 * @param httpStatus the answer's HTTP status, 0 when there was none (timeout, connection error)
 * @param retryAfterMillis THROTTLED: how long the upstream asked us to wait; RUNNING: when it asked to be polled next
 *     (a status monitor's Retry-After), or null
 * @param result SUCCEEDED / FAILED only: the notification resource as received
 * @param errorCode FATAL and FAILED: the reason as a completion error code (e.g. {@code notification_host_not_allowed},
 *     {@code upstream_canceled}); null on a FAILED observation written before it carried one
 * @param message a short human explanation, never carrying secrets or query strings
 */
public record PollObservation(
    String taskId,
    int attempt,
    Instant observedAt,
    PollOutcome outcome,
    String statusWord,
    Integer progress,
    int httpStatus,
    Long retryAfterMillis,
    JsonNode result,
    String errorCode,
    String message) {
}
