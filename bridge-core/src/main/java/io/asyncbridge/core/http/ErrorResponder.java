package io.asyncbridge.core.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one renderer of error answers, for the management endpoint and the webhook endpoint alike: refusals raised by
 * handlers ({@link HttpError}), errors of Vert.x Web itself (413 from the body limit, 404/405 from routing) and bugs
 * (500) all get the same JSON shape. A 503 carries {@code Retry-After} so the sender tries again. What differs between
 * the endpoints (the hints of 404 and 405, a bearer challenge on 401) is an {@link Endpoint}.
 */
public final class ErrorResponder implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  /**
   * What one endpoint says about itself in its error answers.
   *
   * @param name names the endpoint in the log of a 500
   * @param notFoundHint the message of a 404 for a path no route matches
   * @param methodHint the message of a 405
   * @param bearerChallenge a 401 carries {@code WWW-Authenticate: Bearer} (the endpoint takes bearer tokens)
   * @param maxBodyBytes the body limit a 413 names
   * @param retryAfter what a 503 asks the sender to wait
   */
  public record Endpoint(String name, String notFoundHint, String methodHint, boolean bearerChallenge,
      long maxBodyBytes, Duration retryAfter) {
  }

  /** The management endpoint: metrics, health, the status API and the web view. */
  public static final Endpoint MANAGEMENT = new Endpoint("management endpoint",
      "no such endpoint; try /api/tasks/<taskId>, /api/tasks?state=in-flight, /ui/, /metrics, /health/live,"
          + " /health/ready", "the management endpoint answers GET only", true, 0, Duration.ofSeconds(1));

  private final Endpoint endpoint;

  /** The management endpoint's renderer. */
  public ErrorResponder() {
    this(MANAGEMENT);
  }

  public ErrorResponder(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpError error = toError(ctx);
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    if (error.status() == 401 && endpoint.bearerChallenge()) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"async-bridge\"");
    }
    if (error.status() == 503) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, endpoint.retryAfter().toSeconds())));
    }
    response.setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body(error).encode());
  }

  public static JsonObject body(HttpError error) {
    return new JsonObject().put("error", new JsonObject()
        .put("status", error.status()).put("code", error.code()).put("message", error.getMessage()));
  }

  private HttpError toError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpError error) {
      return error;
    }
    int status = ctx.statusCode();
    switch (status) {
      case 404:
        return HttpError.notFound("not_found", endpoint.notFoundHint());
      case 405:
        return new HttpError(405, "method_not_allowed", endpoint.methodHint());
      case 413:
        return new HttpError(413, "body_too_large", "the body exceeds the limit of " + endpoint.maxBodyBytes()
            + " bytes");
      case 400:
        return HttpError.badRequest("bad_request", "the request could not be read");
      default:
        LOG.error("{} failed on {} {}", endpoint.name(), ctx.request().method(), routeOnly(ctx), failure);
        return new HttpError(500, "internal_error", "the bridge failed to handle the request; retry later");
    }
  }

  /** The matched route pattern, never the actual path: a per-task webhook path carries the callback token. */
  private static String routeOnly(RoutingContext ctx) {
    return ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "(no route)"
        : ctx.currentRoute().getPath();
  }
}
