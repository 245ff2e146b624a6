package io.asyncbridge.simulator.elements;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds webhook bodies shaped as the seed shows them, from the job's request. */
final class ElementsWebhookBodies {

    private final ObjectMapper json;
    private final long instanceId;

    ElementsWebhookBodies(ObjectMapper json, long instanceId) {
        this.json = json;
        this.instanceId = instanceId;
    }

    /** {@code {"eventId", "instanceId", "response": {"events": [...]}, "notificationId"}}. */
    byte[] success(long eventId, long notificationId, RoutingContext ctx) {
        JsonNode request = requestJson(ctx.body().buffer());
        String path = text(request, "path", ctx.request().getParam("path", "/"));
        String name = text(request, "name", lastSegment(path));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("path", "/" + name);
        metadata.put("name", name);
        metadata.put("type", "folder");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("path", path);
        event.put("metadata", metadata);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("instanceId", instanceId);
        body.put("response", Map.of("events", List.of(event)));
        body.put("notificationId", notificationId);
        return write(body);
    }

    /** A failed job: the response carries an error instead of events. */
    byte[] failure(long eventId, long notificationId, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("instanceId", instanceId);
        body.put("eventStatus", "failed");
        body.put("response", Map.of("error", Map.of("message", message)));
        body.put("notificationId", notificationId);
        return write(body);
    }

    private JsonNode requestJson(Buffer buffer) {
        if (buffer == null || buffer.length() == 0) {
            return null;
        }
        try {
            return json.readTree(buffer.getBytes());
        } catch (IOException e) {
            return null; // not JSON: the webhook then describes the request path only
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node != null && node.hasNonNull(field) && node.get(field).isValueNode() ? node.get(field).asText() : fallback;
    }

    private static String lastSegment(String path) {
        String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        String segment = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return segment.isEmpty() ? "root" : segment;
    }

    private byte[] write(Map<String, Object> body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a webhook body for event " + body.get("eventId"), e);
        }
    }
}
