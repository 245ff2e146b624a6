package io.asyncbridge.ingest.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.CallbackRules;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.schemas.TaskRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a task request into the HTTP call: base URL + path + query, the request's headers, a JSON body, and for
 * callback providers the headers that carry the task's own callback URL (with its unguessable token).
 */
public final class UpstreamCallBuilder {

  private final ObjectMapper json;
  private final Optional<URI> publicBaseUrl;
  private final Optional<CallbackTokens> tokens;

  public UpstreamCallBuilder(ObjectMapper json, Optional<URI> publicBaseUrl, Optional<CallbackTokens> tokens) {
    this.json = json;
    this.publicBaseUrl = publicBaseUrl;
    this.tokens = tokens;
  }

  public URI url(ProviderConfig provider, TaskRequest request) {
    String base = provider.baseUrl().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    StringBuilder url = new StringBuilder(base).append(request.path() == null ? "" : request.path());
    char separator = provider.baseUrl().getRawQuery() == null ? '?' : '&';
    for (Map.Entry<String, String> parameter : request.query().entrySet()) {
      url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
      separator = '&';
    }
    return URI.create(url.toString());
  }

  public Map<String, String> headers(ProviderConfig provider, TaskRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    headers.putAll(request.headers());
    if (request.body() != null && request.headers().keySet().stream()
        .noneMatch(name -> name.toLowerCase(Locale.ROOT).equals("content-type"))) {
      headers.put("Content-Type", "application/json");
    }
    provider.dispatch().idempotencyKey().ifPresent(name -> {
      // a key the producer put in the request is as stable (the request is recorded) and wins
      if (headers.keySet().stream().noneMatch(present -> present.equalsIgnoreCase(name))) {
        headers.put(name, idempotencyKey(provider, request.taskId()));
      }
    });
    provider.callback().ifPresent(rules -> rules.requestHeaders().forEach((name, value) ->
        headers.put(name, value.replace(CallbackRules.CALLBACK_URL_PLACEHOLDER, callbackUrl(provider, request)))));
    return headers;
  }

  /**
   * The idempotency key of a task's starting call: the same on every attempt and after every restart, since it
   * depends on nothing but the provider and the taskId (a name-based UUID, so it fits any key format an API accepts).
   */
  public static String idempotencyKey(ProviderConfig provider, String taskId) {
    return UUID.nameUUIDFromBytes(("async-bridge\n" + provider.name() + "\n" + taskId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  public byte[] body(TaskRequest request) {
    if (request.body() == null) {
      return null;
    }
    try {
      return json.writeValueAsBytes(request.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the body of task " + request.taskId(), e);
    }
  }

  /**
   * Values of this call that an upstream must not get back into an event: the task's callback token (an upstream
   * may echo the callback URL in its answer, which can become the completion's result).
   */
  public List<String> sensitiveValues(ProviderConfig provider, TaskRequest request) {
    if (provider.callback().isEmpty() || tokens.isEmpty()) {
      return List.of();
    }
    return List.of(tokens.get().tokenFor(provider.name(), request.taskId()));
  }

  private String callbackUrl(ProviderConfig provider, TaskRequest request) {
    if (publicBaseUrl.isEmpty() || tokens.isEmpty()) {
      throw new IllegalStateException("provider " + provider.name() + " uses callbacks but callbacks.publicBaseUrl"
          + " or the callback token secret is missing");
    }
    return tokens.get().callbackUrl(publicBaseUrl.get(), provider.name(), request.taskId()).toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
