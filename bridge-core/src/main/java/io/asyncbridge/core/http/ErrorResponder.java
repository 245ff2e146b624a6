package io.asyncbridge.core.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one renderer of the management API's error answers: refusals raised by its handlers ({@link HttpError}),
 * routing errors of Vert.x Web (404, 405) and bugs (500) all get the same JSON shape.
 */
public final class ErrorResponder implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  @Override
  public void handle(RoutingContext ctx) {
    HttpError error = toError(ctx);
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    if (error.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"async-bridge\"");
    }
    if (error.status() == 503) {
      response.putHeader(HttpHeaders.RETRY_AFTER, "1");
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

  private static HttpError toError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpError error) {
      return error;
    }
    int status = ctx.statusCode();
    switch (status) {
      case 404:
        return HttpError.notFound("not_found", "no such endpoint; try /api/tasks/<taskId>, /api/tasks?state=in-flight,"
            + " /ui/, /metrics, /health/live, /health/ready");
      case 405:
        return new HttpError(405, "method_not_allowed", "the management endpoint answers GET only");
      case 400:
        return HttpError.badRequest("bad_request", "the request could not be read");
      default:
        LOG.error("management endpoint failed on {} {}", ctx.request().method(), ctx.currentRoute() == null
            ? "(no route)" : ctx.currentRoute().getPath(), failure);
        return new HttpError(500, "internal_error", "the bridge failed to answer; retry later");
    }
  }
}
