package io.asyncbridge.callbacks.http;

import io.asyncbridge.callbacks.correlation.WebhookReceived;
import io.asyncbridge.callbacks.signature.SignatureCheck;
import io.asyncbridge.callbacks.webhook.WebhookSink;
import io.asyncbridge.core.http.HttpError;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.schemas.Identifiers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook endpoint. Cheap checks run on the event loop in a fixed order (provider, body size, content type,
 * token, signature, JSON, correlation id); then the webhook goes to the sink and the answer is 202 only once the
 * sink confirmed it is durable, or 503 with Retry-After when it did not in time. A duplicate is answered like any
 * other webhook: the correlation topology recognizes it.
 */
public final class WebhookHandler {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);
  static final String PROVIDER_KEY = "callbacks.provider";
  private static final String ACCEPTED = "{\"status\":\"accepted\"}";

  private final Set<String> configuredProviders;
  private final Map<String, CallbackProvider> callbackProviders;
  private final CallbackTokens tokens;
  private final WebhookSink sink;
  private final JsonBodies bodies = new JsonBodies();
  private final Clock clock;
  private final Duration ackTimeout;
  private final InFlightWebhooks inFlight;

  /**
   * @param configuredProviders every provider name, so a poll-mode provider is told apart from an unknown one
   * @param callbackProviders the callback-mode providers by name
   */
  public WebhookHandler(Set<String> configuredProviders, Map<String, CallbackProvider> callbackProviders,
                        CallbackTokens tokens, WebhookSink sink, Clock clock, Duration ackTimeout,
                        InFlightWebhooks inFlight) {
    this.configuredProviders = Set.copyOf(configuredProviders);
    this.callbackProviders = Map.copyOf(callbackProviders);
    this.tokens = tokens;
    this.sink = sink;
    this.clock = clock;
    this.ackTimeout = ackTimeout;
    this.inFlight = inFlight;
  }

  /** First handler of both routes, before the body is read: unknown providers cost nothing. */
  public void resolveProvider(RoutingContext ctx) {
    String name = ctx.pathParam("provider");
    CallbackProvider provider = callbackProviders.get(name);
    if (provider == null) {
      ctx.fail(configuredProviders.contains(name)
          ? HttpError.notFound("not_a_callback_provider", "provider '" + name + "' does not use callbacks")
          : HttpError.notFound("unknown_provider", "no provider named '" + name + "' is configured"));
      return;
    }
    if (ctx.pathParam("taskId") == null && !provider.verifier().authenticates()) {
      ctx.fail(HttpError.notFound("provider_route_disabled", "provider '" + name + "' does not sign its webhooks;"
          + " use the per-task callback URL the bridge gave the upstream"));
      return;
    }
    // Checks that need no body come before it is read: an unauthenticated sender cannot make the server buffer it.
    if (!isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      ctx.fail(new HttpError(415, "unsupported_media_type", "send the webhook with Content-Type: application/json"));
      return;
    }
    String taskId = ctx.pathParam("taskId");
    // A taskId the bridge never issues (control characters, '/', too long) cannot be one of its callback URLs.
    if (taskId != null && (!Identifiers.isTaskId(taskId) || !tokens.verify(provider.name(), taskId,
        ctx.pathParam("token")))) {
      LOG.warn("webhook refused: wrong callback token (provider {}, task {})", provider.name(), loggable(taskId));
      ctx.fail(HttpError.unauthorized("invalid_token",
          "the callback token does not match this task; call back exactly the URL the bridge gave the upstream"));
      return;
    }
    ctx.put(PROVIDER_KEY, provider);
    ctx.next();
  }

  /** After the body handler (which enforced the size limit while reading). */
  public void receive(RoutingContext ctx) {
    CallbackProvider provider = ctx.get(PROVIDER_KEY);
    String taskId = ctx.pathParam("taskId");
    Buffer buffer = ctx.body().buffer();
    byte[] raw = buffer == null ? new byte[0] : buffer.getBytes();
    SignatureCheck signature = provider.verifier().verify(ctx.request()::getHeader, raw, clock.instant());
    if (!signature.valid()) {
      LOG.warn("webhook refused: {} (provider {}, task {})", signature.code(), provider.name(), taskId);
      ctx.fail(HttpError.unauthorized(signature.code(), signature.message()));
      return;
    }
    String correlationId = bodies.correlationId(raw, provider.correlationPointer());
    if (taskId == null && correlationId == null) {
      ctx.fail(HttpError.badRequest("missing_correlation_id", "the body has no correlation id at "
          + provider.correlationPointer() + "; the provider-level route needs it to find the task"));
      return;
    }
    forward(ctx, new WebhookReceived(provider.name(), taskId, correlationId, clock.instant(), raw));
  }

  /**
   * A taskId from a URL whose token did not match, fit for a log line: as it is when it is a well-formed taskId,
   * otherwise a placeholder, so that a decoded '%0A' or other control characters cannot forge log lines.
   */
  static String loggable(String unauthenticatedTaskId) {
    return Identifiers.isTaskId(unauthenticatedTaskId) ? unauthenticatedTaskId : "<not a valid taskId>";
  }

  private void forward(RoutingContext ctx, WebhookReceived webhook) {
    if (!inFlight.tryEnter()) {
      ctx.fail(HttpError.unavailable("the bridge is shutting down; retry later"));
      return;
    }
    Future.fromCompletionStage(sink.send(webhook), ctx.vertx().getOrCreateContext())
        .timeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(result -> {
          inFlight.exit();
          if (result.succeeded()) {
            ctx.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ACCEPTED);
          } else {
            LOG.warn("webhook of provider {} (task {}, correlation id {}) not confirmed by Kafka: {}",
                webhook.provider(), webhook.routeTaskId(), webhook.correlationId(), result.cause().toString());
            ctx.fail(HttpError.unavailable("the webhook could not be stored durably in time; retry later"));
          }
        });
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
  }
}
