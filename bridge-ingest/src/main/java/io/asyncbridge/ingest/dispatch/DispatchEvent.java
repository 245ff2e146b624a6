package io.asyncbridge.ingest.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.topic.BridgeTopics;
import io.asyncbridge.schemas.topic.Topic;

/**
 * An event on ingest's internal dispatch topic, keyed by taskId, always in the partition of the task's request.
 * <ul>
 *   <li>{@code GO}: the intent to make attempt {@code attempt}, written by the topology in the same transaction as the
 *       task's state. Reading it back proves the intent is committed; only the incarnation that wrote it ({@code epoch})
 *       makes the call, so a crash can never make a call the bridge does not know it may have made.</li>
 *   <li>{@code RESULT}: what the upstream answered to attempt {@code attempt}, written by the HTTP side. For an
 *       accepted poll task, {@code retryAfterMillis} is the accept answer's Retry-After (the first poll's delay).</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DispatchEvent(
    Type type,
    String taskId,
    int attempt,
    int partition,
    String epoch,
    Outcome outcome,
    Integer httpStatus,
    String notificationUrl,
    String correlationId,
    Long retryAfterMillis,
    String errorCode,
    String message,
    JsonNode body) {

  /** The two kinds of event. */
  public enum Type { GO, RESULT }

  /** What an attempt came to. */
  public enum Outcome {
    /** The upstream accepted the task; it is handed to the poller or the callbacks service. */
    ACCEPTED,
    /** The upstream's first answer is already the end of the task (a final resource, an operation that is done). */
    SUCCEEDED,
    /** The upstream refused the request (a 4xx other than 408/429): the task ends {@code rejected}. */
    REJECTED,
    /**
     * Accepted, but the answer cannot be followed (no notification link, a link to a forbidden host), or it already
     * says the task failed: {@code failed}.
     */
    FAILED,
    /** 5xx, 408, 429, timeouts, connection errors: try again after a backoff. */
    RETRY
  }

  public static DispatchEvent go(String taskId, int attempt, int partition, String epoch) {
    return new DispatchEvent(Type.GO, taskId, attempt, partition, epoch, null, null, null, null, null, null, null, null);
  }

  public static DispatchEvent accepted(DispatchJob job, int httpStatus, String notificationUrl, String correlationId) {
    return accepted(job, httpStatus, notificationUrl, correlationId, null);
  }

  /** @param retryAfterMillis the accept answer's Retry-After: when to poll first, or null */
  public static DispatchEvent accepted(DispatchJob job, int httpStatus, String notificationUrl, String correlationId,
      Long retryAfterMillis) {
    return new DispatchEvent(Type.RESULT, job.taskId(), job.attempt(), job.partition(), null, Outcome.ACCEPTED,
        httpStatus, notificationUrl, correlationId, retryAfterMillis, null, null, null);
  }

  /** The first answer already ended the task well; {@code body} becomes the completion's result. */
  public static DispatchEvent succeeded(DispatchJob job, int httpStatus, JsonNode body) {
    return new DispatchEvent(Type.RESULT, job.taskId(), job.attempt(), job.partition(), null, Outcome.SUCCEEDED,
        httpStatus, null, null, null, null, null, body);
  }

  public static DispatchEvent ended(DispatchJob job, Outcome outcome, Integer httpStatus, String errorCode,
      String message, JsonNode body) {
    return new DispatchEvent(Type.RESULT, job.taskId(), job.attempt(), job.partition(), null, outcome, httpStatus,
        null, null, null, errorCode, message, body);
  }

  public static DispatchEvent retry(DispatchJob job, Integer httpStatus, Long retryAfterMillis, String errorCode,
      String message) {
    return new DispatchEvent(Type.RESULT, job.taskId(), job.attempt(), job.partition(), null, Outcome.RETRY,
        httpStatus, null, null, retryAfterMillis, errorCode, message, null);
  }

  /** The dispatch results topic with this event's serde: where the dispatcher writes it and the topology reads it. */
  public static Topic<String, DispatchEvent> topic(BridgeTopics topics, ObjectMapper json) {
    return topics.dispatchResults(new JsonSerde<>(DispatchEvent.class, json));
  }
}
