package io.asyncbridge.core.status;

import io.asyncbridge.core.http.HttpError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts the parts of a status answer together and names where the task is: {@code received} or {@code dispatching}
 * at ingest, {@code polling}, {@code waiting_for_webhook}, {@code handed_over} (between ingest and the service that
 * follows it) or {@code ended}. Parts arrive from several threads, hence the locks.
 */
final class TaskStatusAnswer {

  private final String taskId;
  private final Map<String, JsonObject> parts = new LinkedHashMap<>();
  private final JsonObject incomplete = new JsonObject();
  private JsonObject completion;

  TaskStatusAnswer(String taskId) {
    this.taskId = taskId;
  }

  synchronized TaskStatusAnswer completion(JsonObject published) {
    this.completion = published;
    return this;
  }

  synchronized TaskStatusAnswer part(String service, JsonObject part) {
    if (part != null) {
      parts.put(service, part);
    }
    return this;
  }

  synchronized TaskStatusAnswer incomplete(String service, Throwable why) {
    incomplete.put(service, why instanceof HttpError error ? error.getMessage() : "could not be asked: " + why);
    return this;
  }

  /** What later parts need to find their key: the provider and the upstream's correlation id. */
  synchronized JsonObject hints() {
    JsonObject hints = new JsonObject();
    JsonObject ingest = parts.get("ingest");
    if (ingest != null) {
      copy(ingest, "provider", hints, "provider");
      copy(ingest, "correlationId", hints, "correlationId");
    }
    if (completion != null) {
      if (!hints.containsKey("provider")) {
        copy(completion, "provider", hints, "provider");
      }
      JsonObject upstream = completion.getValue("upstream") instanceof JsonObject u ? u : null;
      if (upstream != null && !hints.containsKey("correlationId")) {
        copy(upstream, "eventId", hints, "correlationId");
      }
    }
    return hints;
  }

  private static void copy(JsonObject from, String field, JsonObject to, String as) {
    if (from.getValue(field) instanceof String value && !value.isEmpty()) {
      to.put(as, value);
    }
  }

  synchronized boolean known() {
    return completion != null || !parts.isEmpty();
  }

  /** When nothing was found but a part could not be asked, "unknown" would be a guess: say so instead. */
  synchronized JsonObject unknownButIncomplete() {
    if (incomplete.isEmpty()) {
      return null;
    }
    throw HttpError.unavailable("task " + taskId + " was not found, but " + String.join(", ", incomplete.fieldNames())
        + " could not be asked: " + incomplete.encode());
  }

  synchronized JsonObject toJson() {
    JsonObject answer = new JsonObject().put("taskId", taskId).put("state", state());
    JsonObject first = parts.values().stream().findFirst().orElse(null);
    String provider = completion != null ? completion.getString("provider")
        : first == null ? null : first.getString("provider");
    answer.put("provider", provider);
    String mode = mode();
    if (mode != null) {
      answer.put("mode", mode);
    }
    parts.forEach(answer::put);
    if (completion != null) {
      answer.put("completion", completion);
    }
    if (!incomplete.isEmpty()) {
      answer.put("incomplete", incomplete);
    }
    return answer;
  }

  private String mode() {
    if (parts.containsKey("poller")) {
      return "poll";
    }
    if (parts.containsKey("callbacks")) {
      return "callback";
    }
    JsonObject ingest = parts.get("ingest");
    return ingest == null ? null : ingest.getString("mode");
  }

  private String state() {
    if (completion != null) {
      return "ended";
    }
    if (parts.containsKey("poller")) {
      return "polling";
    }
    JsonObject callbacks = parts.get("callbacks");
    if (callbacks != null && "waiting_for_webhook".equals(callbacks.getString("phase"))) {
      return "waiting_for_webhook";
    }
    JsonObject ingest = parts.get("ingest");
    if (ingest != null) {
      String state = ingest.getString("state");
      if ("received".equals(state) || "dispatching".equals(state)) {
        return state;
      }
      if ("ended".equals(state)) {
        return "handed_over".equals(ingest.getString("outcome")) ? "handed_over" : "ended";
      }
    }
    if (callbacks != null && "completed".equals(callbacks.getString("phase"))) {
      return "ended";
    }
    return callbacks != null ? "waiting_for_task" : "unknown";
  }

  static JsonArray array(Iterable<JsonObject> items) {
    JsonArray array = new JsonArray();
    items.forEach(array::add);
    return array;
  }
}
