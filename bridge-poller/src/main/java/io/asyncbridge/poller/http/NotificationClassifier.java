package io.asyncbridge.poller.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.asyncbridge.core.config.StatusRules;
import io.asyncbridge.core.status.StatusReader;
import io.asyncbridge.core.status.StatusReading;
import io.asyncbridge.core.upstream.UpstreamException;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import io.asyncbridge.schemas.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one HTTP answer (or the failure to get one) into a {@link PollObservation}, with the provider's
 * {@link StatusRules} (read by {@link StatusReader}, the same reading ingest gives a first answer: status words,
 * RFC 9110 status URLs, AIP-151 operations). For a poll's answer, retriable and fatal are told apart here and only
 * here (the starting call's answer has ingest's {@code AnswerInterpreter}); the codes come from the {@link ErrorCode}
 * catalogue.
 */
public final class NotificationClassifier {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationClassifier.class);

  private final StatusReader reader;
  private final ObjectMapper json;

  public NotificationClassifier(StatusRules rules, ObjectMapper json) {
    this.reader = new StatusReader(rules);
    this.json = json;
  }

  public PollObservation classify(PollJob job, UpstreamResponse response, Instant now) {
    int status = response.status();
    if (status == 404) {
      return observation(job, now, PollOutcome.NOT_FOUND, status, "the notification answered 404");
    }
    if (status == 429 || status == 503) {
      Optional<Duration> retryAfter = response.retryAfter(now);
      if (retryAfter.isPresent()) {
        return new PollObservation(job.taskId(), job.attempt(), now, PollOutcome.THROTTLED, null, null, status,
            retryAfter.get().toMillis(), null, null, "HTTP " + status + " with Retry-After");
      }
      return observation(job, now, PollOutcome.RETRY, status, "HTTP " + status);
    }
    if (response.isRetriable()) {
      return observation(job, now, PollOutcome.RETRY, status, "HTTP " + status);
    }
    if (!response.isSuccess()) {
      return fatal(job, now, status, ErrorCode.NOTIFICATION_HTTP.withStatus(status), "the notification answered HTTP " + status);
    }
    JsonNode body;
    try {
      body = response.body().length == 0 ? MissingNode.getInstance() : json.readTree(response.body());
    } catch (IOException notJson) {
      body = null;
    }
    return classifyResource(job, response, body, now);
  }

  /**
   * The answer of the final resource a status monitor's 303 See Other named: the operation is done, so a JSON
   * resource (or none) means success with it as the result; any other answer is read as a poll's (404 tolerated,
   * 5xx retried, other 4xx and further redirects fatal), and a 2xx without JSON is retried.
   */
  public PollObservation classifyFinalResource(PollJob job, UpstreamResponse response, Instant now) {
    if (!response.isSuccess()) {
      return classify(job, response, now);
    }
    JsonNode body;
    try {
      body = response.body().length == 0 ? null : json.readTree(response.body());
    } catch (IOException notJson) {
      return observation(job, now, PollOutcome.RETRY, response.status(), "the final resource after 303 See Other"
          + " answered HTTP " + response.status() + " without JSON");
    }
    return new PollObservation(job.taskId(), job.attempt(), now, PollOutcome.SUCCEEDED, null, null, response.status(),
        null, body, null, "303 See Other to the final resource");
  }

  public PollObservation classify(PollJob job, Throwable failure, Instant now) {
    if (failure instanceof UpstreamException upstream) {
      if (upstream.kind().retriable()) {
        return observation(job, now, PollOutcome.RETRY, 0, upstream.getMessage());
      }
      String code = switch (upstream.kind()) {
        case HOST_NOT_ALLOWED -> ErrorCode.NOTIFICATION_HOST_NOT_ALLOWED.code();
        case RESPONSE_TOO_LARGE -> ErrorCode.NOTIFICATION_TOO_LARGE.code();
        default -> upstream.kind().code();
      };
      return fatal(job, now, 0, code, upstream.getMessage());
    }
    return observation(job, now, PollOutcome.RETRY, 0, "poll failed: " + failure.getClass().getSimpleName());
  }

  private PollObservation classifyResource(PollJob job, UpstreamResponse response, JsonNode body, Instant now) {
    int status = response.status();
    StatusReading reading = reader.read(status, response.header("Location").isPresent(), body);
    switch (reading.state()) {
      case SUCCEEDED:
        return terminal(job, now, PollOutcome.SUCCEEDED, reading, status);
      case FAILED:
        return terminal(job, now, PollOutcome.FAILED, reading, status);
      case RUNNING:
        return new PollObservation(job.taskId(), job.attempt(), now, PollOutcome.RUNNING, reading.word(),
            reading.progress(), status, retryAfterMillis(response, now), null, null, null);
      case NOT_A_RESOURCE:
        return observation(job, now, PollOutcome.RETRY, status, "the notification answered HTTP " + status
            + " without a JSON object");
      case UNKNOWN:
      default:
        // Never read what is not understood as success: the task keeps running and its deadline bounds the wait.
        LOG.warn("task {} provider {}: {} treated as running", job.taskId(), job.provider(), reading.message());
        return new PollObservation(job.taskId(), job.attempt(), now, PollOutcome.RUNNING, reading.word(),
            reading.progress(), status, retryAfterMillis(response, now), null, null, "unknown status word");
    }
  }

  /** A running answer's Retry-After (RFC 9110, Azure: a 202 or 200 from a status monitor) says when to poll next. */
  private static Long retryAfterMillis(UpstreamResponse response, Instant now) {
    return response.retryAfter(now).map(Duration::toMillis).orElse(null);
  }

  /** A FAILED observation carries the reason (code and message, the upstream's own error included). */
  private static PollObservation terminal(PollJob job, Instant now, PollOutcome outcome, StatusReading reading,
      int status) {
    return new PollObservation(job.taskId(), job.attempt(), now, outcome, reading.word(), reading.progress(), status,
        null, reading.result(), reading.errorCode(), reading.message());
  }

  private static PollObservation observation(PollJob job, Instant now, PollOutcome outcome, int status,
      String message) {
    return new PollObservation(job.taskId(), job.attempt(), now, outcome, null, null, status, null, null, null,
        message);
  }

  private static PollObservation fatal(PollJob job, Instant now, int status, String code, String message) {
    return new PollObservation(job.taskId(), job.attempt(), now, PollOutcome.FATAL, null, null, status, null, null,
        code, message);
  }
}
