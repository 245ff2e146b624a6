package io.asyncbridge.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A task request as read from {@code bridge.requests} (schema {@code task-request.schema.json}).
 * Read raw records with {@link io.asyncbridge.schemas.request.RequestParser}, which validates
 * against the schema first.
 *
 * @param taskId   caller-chosen id, see {@link Identifiers#TASK_ID}
 * @param provider configured provider name
 * @param method   HTTP method of the starting call
 * @param path     path relative to the provider's base URL, or null for the base URL itself
 * @param query    query parameters, empty when absent
 * @param headers  extra headers, empty when absent
 * @param body     JSON body, or null for no body (a JSON {@code null} body reads as no body)
 * @param timeout  deadline for a terminal answer, or null for the provider's default
 * @param metadata caller strings echoed on every event, empty when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"taskId", "provider", "method", "path", "query", "headers", "body", "timeout", "metadata"})
public record TaskRequest(
        String taskId,
        String provider,
        RequestMethod method,
        String path,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> query,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> headers,
        JsonNode body,
        Duration timeout,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata) {

    public TaskRequest {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(provider, () -> "provider of task " + taskId);
        Objects.requireNonNull(method, () -> "method of task " + taskId);
        query = StringMaps.copyOf(query, "query of task " + taskId);
        headers = StringMaps.copyOf(headers, "headers of task " + taskId);
        metadata = StringMaps.copyOf(metadata, "metadata of task " + taskId);
        if (body != null && body.isNull()) {
            body = null;
        }
    }

    /** A request with only the required fields, handy for tests and the CLI; add the rest with the canonical constructor. */
    public static TaskRequest of(String taskId, String provider, RequestMethod method, String path) {
        return new TaskRequest(taskId, provider, method, path, Map.of(), Map.of(), null, null, Map.of());
    }
}
