package io.asyncbridge.poller.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.StatusRules;
import io.asyncbridge.core.upstream.UpstreamException;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one HTTP answer (or the failure to get one) into a {@link PollObservation}, with the provider's
 * {@link StatusRules}. Retriable and fatal are told apart here and only here.
 */
public final class NotificationClassifier {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationClassifier.class);

  private final StatusRules rules;
  private final ObjectMapper json;

  public NotificationClassifier(StatusRules rules, ObjectMapper json) {
    this.rules = rules;
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
      return fatal(job, now, status, "notification_http_" + status, "the notification answered HTTP " + status);
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (IOException notJson) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return observation(job, now, PollOutcome.RETRY, status, "the notification answered HTTP " + status
          + " without a JSON object");
    }
    return classifyResource(job, body, status, now);
  }

  public PollObservation classify(PollJob job, Throwable failure, Instant now) {
    if (failure instanceof UpstreamException upstream) {
      if (upstream.kind().retriable()) {
        return observation(job, now, PollOutcome.RETRY, 0, upstream.getMessage());
      }
      String code = switch (upstream.kind()) {
        case HOST_NOT_ALLOWED -> "notification_host_not_allowed";
        case RESPONSE_TOO_LARGE -> "notification_too_large";
        default -> upstream.kind().code();
      };
      return fatal(job, now, 0, code, upstream.getMessage());
    }
    return observation(job, now, PollOutcome.RETRY, 0, "poll failed: " + failure.getClass().getSimpleName());
  }

  private PollObservation classifyResource(PollJob job, JsonNode body, int status, Instant now) {
    JsonNode wordNode = body.at(rules.statusPointer());
    String word = wordNode.isValueNode() && !wordNode.isNull() ? wordNode.asText() : null;
    Integer progress = progress(body);
    for (String pointer : rules.failedWhenPresent()) {
      JsonNode marker = body.at(pointer);
      if (!marker.isMissingNode() && !marker.isNull()) {
        return terminal(job, now, PollOutcome.FAILED, word, progress, status, body);
      }
    }
    switch (rules.classify(word)) {
      case SUCCEEDED:
        return terminal(job, now, PollOutcome.SUCCEEDED, word, progress, status, body);
      case FAILED:
        return terminal(job, now, PollOutcome.FAILED, word, progress, status, body);
      case RUNNING:
        return new PollObservation(job.taskId(), job.attempt(), now, PollOutcome.RUNNING, word, progress, status,
            null, null, null, null);
      case UNKNOWN:
      default:
        // Never read an unknown word as success: the task keeps running and its deadline bounds the wait.
        LOG.warn("task {} provider {}: unknown status word '{}' treated as running", job.taskId(), job.provider(),
            word == null ? "<none>" : abbreviate(word));
        return new PollObservation(job.taskId(), job.attempt(), now, PollOutcome.RUNNING, word, progress, status,
            null, null, null, "unknown status word");
    }
  }

  private Integer progress(JsonNode body) {
    if (rules.progressPointer() == null || rules.progressPointer().isEmpty()) {
      return null;
    }
    JsonNode node = body.at(rules.progressPointer());
    double value;
    if (node.isNumber()) {
      value = node.asDouble();
    } else if (node.isTextual()) {
      try {
        value = Double.parseDouble(node.asText().trim());
      } catch (NumberFormatException garbage) {
        return null;
      }
    } else {
      return null;
    }
    if (Double.isNaN(value) || value < 0 || value > 100) {
      return null;
    }
    return (int) Math.floor(value);
  }

  private static PollObservation terminal(PollJob job, Instant now, PollOutcome outcome, String word,
      Integer progress, int status, JsonNode body) {
    return new PollObservation(job.taskId(), job.attempt(), now, outcome, word, progress, status, null, body,
        null, null);
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

  private static String abbreviate(String word) {
    return word.length() > 64 ? word.substring(0, 64) + "..." : word;
  }
}
