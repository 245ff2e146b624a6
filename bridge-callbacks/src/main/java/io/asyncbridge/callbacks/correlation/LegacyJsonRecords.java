package io.asyncbridge.callbacks.correlation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.task.TaskAccepted;
import java.io.IOException;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the JSON records that versions before the binary format wrote to the webhooks topic and the correlation
 * store ({@code {"type":"webhook","webhook":{...,"body":{...}}}}, {@code {"phase":...,"dueAt":"<ISO>",...}}). Only
 * records written before an upgrade take this path; everything written since is binary.
 */
final class LegacyJsonRecords {

  private static final ObjectMapper JSON = EventJson.newMapper();

  private LegacyJsonRecords() {
  }

  /** Binary records start with a small format number; JSON ones with '{'. */
  static boolean isJson(byte[] data) {
    return data.length > 0 && data[0] == '{';
  }

  static CorrelationEvent event(String topic, byte[] data) {
    try {
      JsonNode root = JSON.readTree(data);
      String type = root.path("type").asText();
      if (type.equals("task")) {
        return new CorrelationEvent.Task(task(root.get("task")));
      }
      if (type.equals("webhook")) {
        return new CorrelationEvent.Webhook(webhook(root.get("webhook")));
      }
      throw new IllegalArgumentException("unknown type '" + type + "'");
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot read a JSON correlation event from " + topic + " (" + data.length
          + " bytes): " + e.getMessage(), e);
    }
  }

  static CorrelationState state(String topic, byte[] data) {
    try {
      JsonNode root = JSON.readTree(data);
      CorrelationState.Phase phase = CorrelationState.Phase.valueOf(root.path("phase").asText());
      Instant dueAt = JSON.treeToValue(root.get("dueAt"), Instant.class);
      switch (phase) {
        case WAITING_FOR_WEBHOOK:
          return CorrelationState.waiting(task(root.get("task")), dueAt);
        case EARLY_WEBHOOK:
          return CorrelationState.early(webhook(root.get("webhook")), dueAt);
        default:
          return CorrelationState.completed(text(root, "taskId"), dueAt);
      }
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot read a JSON correlation state from " + topic + " (" + data.length
          + " bytes): " + e.getMessage(), e);
    }
  }

  private static TaskAccepted task(JsonNode node) throws IOException {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("no task");
    }
    return JSON.treeToValue(node, TaskAccepted.class);
  }

  private static WebhookReceived webhook(JsonNode node) throws IOException {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("no webhook");
    }
    return new WebhookReceived(text(node, "provider"), text(node, "routeTaskId"), text(node, "correlationId"),
        JSON.treeToValue(node.get("receivedAt"), Instant.class), JSON.writeValueAsBytes(node.get("body")));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
