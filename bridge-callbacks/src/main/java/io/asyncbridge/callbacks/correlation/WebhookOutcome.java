package io.asyncbridge.callbacks.correlation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.asyncbridge.core.config.StatusRules;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.UpstreamInfo;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.task.TaskAccepted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a task and its webhook into the task's completion. A webhook is terminal by nature: it is {@code failed}
 * when the body says so (a {@code failedWhenPresent} pointer holds a value, or the status word means failure),
 * otherwise {@code succeeded}. The result is the webhook body as received.
 */
final class WebhookOutcome {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookOutcome.class);
  private static final ObjectMapper JSON = EventJson.newMapper();

  private WebhookOutcome() {
  }

  static Completion completion(TaskAccepted task, WebhookReceived webhook, StatusRules rules, Instant now) {
    String eventId = webhook.correlationId() != null ? webhook.correlationId() : task.correlationId();
    TaskOrigin origin = origin(task, eventId);
    JsonNode body = body(webhook, task);
    String failure = failure(body, rules);
    return failure == null
        ? Completion.succeeded(origin, Via.CALLBACK, now, body)
        : Completion.failed(origin, Via.CALLBACK, now, body, new TaskError(ErrorCode.UPSTREAM_FAILED, failure));
  }

  /**
   * The body as JSON: parsed here, once per task, not per webhook. The endpoint accepted only well-formed JSON, so a
   * body that does not parse was damaged on the way; it is kept as text rather than lost.
   */
  private static JsonNode body(WebhookReceived webhook, TaskAccepted task) {
    try {
      return JSON.readTree(webhook.body());
    } catch (IOException e) {
      // Not e.getMessage(): Jackson quotes the offending part of the body, and bodies stay out of logs.
      String where = e instanceof JsonProcessingException json && json.getLocation() != null
          ? " at byte " + json.getLocation().getByteOffset() : "";
      LOG.warn("task {} ({}): the webhook body ({} bytes) is not JSON{}; it becomes the result as text", task.taskId(),
          task.provider(), webhook.body().length, where);
      return TextNode.valueOf(new String(webhook.body(), StandardCharsets.UTF_8));
    }
  }

  static Completion timedOut(TaskAccepted task, Instant deadline, Instant now) {
    return Completion.timedOut(origin(task, task.correlationId()), now, Duration.between(task.submittedAt(), deadline));
  }

  static TaskOrigin origin(TaskAccepted task, String eventId) {
    Integer status = task.httpStatus() >= 100 && task.httpStatus() <= 599 ? task.httpStatus() : null;
    return new TaskOrigin(task.taskId(), task.provider(), task.submittedAt(), task.acceptedAt(),
        new UpstreamInfo(status, null, eventId), task.metadata());
  }

  /** Why the body means failure, or null when it does not. */
  static String failure(JsonNode body, StatusRules rules) {
    if (rules == null) {
      return null;
    }
    for (String pointer : rules.failedWhenPresent()) {
      JsonNode node = body.at(pointer);
      if (!node.isMissingNode() && !node.isNull()) {
        return "the webhook reports an error at " + pointer;
      }
    }
    if (rules.statusPointer() != null && !rules.statusPointer().isEmpty()) {
      JsonNode word = body.at(rules.statusPointer());
      if (word.isValueNode() && rules.classify(word.asText()) == StatusRules.Outcome.FAILED) {
        String text = word.asText();
        return "the webhook reports status '" + (text.length() > 100 ? text.substring(0, 100) + "..." : text) + "'";
      }
    }
    return null;
  }
}
