package io.asyncbridge.callbacks.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one renderer of error answers: every refusal, whether raised by our handlers ({@link HttpError}), by Vert.x
 * Web itself (413 from the body limit, 404/405 from routing) or by a bug (500), has the same JSON shape. A 503
 * carries {@code Retry-After} so the sender tries again.
 */
public final class ErrorResponder implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  private final long maxBodyBytes;
  private final Duration retryAfter;

  public ErrorResponder(long maxBodyBytes, Duration retryAfter) {
    this.maxBodyBytes = maxBodyBytes;
    this.retryAfter = retryAfter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpError error = toError(ctx);
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    if (error.status() == 503) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
    response.setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body(error).encode());
  }

  static JsonObject body(HttpError error) {
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
        return new HttpError(404, "not_found", "no such endpoint; webhooks go to POST /callbacks/<provider>/<taskId>/<token>");
      case 405:
        return new HttpError(405, "method_not_allowed", "use POST for webhooks and GET for health checks");
      case 413:
        return new HttpError(413, "body_too_large", "the body exceeds the limit of " + maxBodyBytes + " bytes");
      case 400:
        return HttpError.badRequest("bad_request", "the request could not be read");
      default:
        LOG.error("webhook endpoint failed on {} {}", ctx.request().method(), routeOnly(ctx), failure);
        return new HttpError(500, "internal_error", "the bridge failed to handle the request; retry later");
    }
  }

  /** The matched route pattern, never the actual path: a per-task path carries the callback token. */
  private static String routeOnly(RoutingContext ctx) {
    return ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "(no route)" : ctx.currentRoute().getPath();
  }
}
