package io.asyncbridge.ingest.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.upstream.UpstreamException;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.task.TaskMode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * Decides what an upstream's answer to the starting call means, with codes from the {@link ErrorCode} catalogue. For
 * the starting call, the one place where retriable and final answers are told apart (a poll's answers have
 * {@code NotificationClassifier} in the poller): 408, 429, 5xx, timeouts and connection errors are retried; other 4xx end the task as
 * {@code rejected}; a 2xx is accepted when the provider type can follow it (for poll providers a notification link
 * on an allowed host, see {@link PollAcceptance}, which also ends a long-running operation whose first answer is
 * already final; callback providers need nothing, the correlation id is optional).
 */
public final class AnswerInterpreter {

  private static final int MAX_ERROR_BODY_CHARS = 8_192;

  private final ObjectMapper json;
  private final Clock clock;

  public AnswerInterpreter(ObjectMapper json, Clock clock) {
    this.json = json;
    this.clock = clock;
  }

  /** As {@link #interpret(DispatchJob, ProviderConfig, URI, UpstreamResponse)} for a call to the base URL itself. */
  public DispatchEvent interpret(DispatchJob job, ProviderConfig provider, UpstreamResponse response) {
    return interpret(job, provider, provider.baseUrl(), response);
  }

  /** @param requestUrl the URL the call went to: a relative link in a header is resolved against it */
  public DispatchEvent interpret(DispatchJob job, ProviderConfig provider, URI requestUrl, UpstreamResponse response) {
    int status = response.status();
    if (response.isSuccess()) {
      return accepted(job, provider, requestUrl, response);
    }
    if (response.isRetriable()) {
      Long retryAfter = response.retryAfter(clock.instant()).map(java.time.Duration::toMillis).orElse(null);
      return DispatchEvent.retry(job, status, retryAfter, ErrorCode.UPSTREAM_UNAVAILABLE.code(),
          "provider " + provider.name() + " answered HTTP " + status);
    }
    ErrorCode code = status == 401 || status == 403 ? ErrorCode.UPSTREAM_UNAUTHORIZED : ErrorCode.UPSTREAM_REJECTED;
    return DispatchEvent.ended(job, DispatchEvent.Outcome.REJECTED, status, code.code(),
        "provider " + provider.name() + " refused the request with HTTP " + status, bodyOrText(response));
  }

  public DispatchEvent interpret(DispatchJob job, ProviderConfig provider, Throwable failure) {
    if (failure instanceof UpstreamException upstream) {
      if (upstream.kind().retriable()) {
        return DispatchEvent.retry(job, null, null, upstream.kind().code(), upstream.getMessage());
      }
      if (upstream.kind() == UpstreamException.Kind.AUTH_REJECTED) {
        return DispatchEvent.ended(job, DispatchEvent.Outcome.REJECTED, null, ErrorCode.UPSTREAM_AUTH_REJECTED.code(),
            upstream.getMessage(), null);
      }
      if (upstream.kind() == UpstreamException.Kind.HOST_NOT_ALLOWED) {
        return DispatchEvent.ended(job, DispatchEvent.Outcome.REJECTED, null, ErrorCode.HOST_NOT_ALLOWED.code(),
            upstream.getMessage(), null);
      }
      return DispatchEvent.ended(job, DispatchEvent.Outcome.FAILED, null, upstream.kind().code(), upstream.getMessage(), null);
    }
    return DispatchEvent.retry(job, null, null, ErrorCode.UPSTREAM_UNAVAILABLE.code(), "provider " + provider.name() + ": "
        + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()));
  }

  private DispatchEvent accepted(DispatchJob job, ProviderConfig provider, URI requestUrl,
      UpstreamResponse response) {
    Optional<JsonNode> body = response.body().length == 0 ? Optional.of(MissingNode.getInstance()) : parse(response);
    if (provider.mode() == TaskMode.CALLBACK) {
      String correlationId = body.flatMap(tree -> provider.callback()
              .map(rules -> rules.correlationIdPointer())
              .filter(pointer -> !pointer.isEmpty())
              .map(tree::at))
          .filter(node -> node.isValueNode() && !node.isNull() && !node.asText().isBlank())
          .map(JsonNode::asText)
          .orElse(null);
      return DispatchEvent.accepted(job, response.status(), null, correlationId);
    }
    DispatchEvent event = new PollAcceptance(provider).interpret(job, requestUrl, response, body, clock.instant());
    if (event.outcome() == DispatchEvent.Outcome.FAILED && ErrorCode.UPSTREAM_ANSWER_NOT_JSON.code().equals(event.errorCode())) {
      return DispatchEvent.ended(job, DispatchEvent.Outcome.FAILED, event.httpStatus(), event.errorCode(),
          event.message(), bodyOrText(response)); // keep what the upstream said, as text
    }
    return event;
  }

  /** The task ends at ingest as {@code failed}: the answer cannot be followed, or it says the task failed. */
  static DispatchEvent failed(DispatchJob job, UpstreamResponse response, String code, String message, JsonNode body) {
    return DispatchEvent.ended(job, DispatchEvent.Outcome.FAILED, response.status(), code, message, body);
  }

  private Optional<JsonNode> parse(UpstreamResponse response) {
    if (response.body().length == 0) {
      return Optional.empty();
    }
    try {
      JsonNode tree = json.readTree(response.body());
      return tree == null || tree.isMissingNode() ? Optional.empty() : Optional.of(tree);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private JsonNode bodyOrText(UpstreamResponse response) {
    Optional<JsonNode> tree = parse(response);
    if (tree.isPresent()) {
      return tree.get();
    }
    String text = response.bodyText();
    if (text.isEmpty()) {
      return null;
    }
    return JsonNodeFactory.instance.textNode(text.length() > MAX_ERROR_BODY_CHARS
        ? text.substring(0, MAX_ERROR_BODY_CHARS) + "..." : text);
  }
}
