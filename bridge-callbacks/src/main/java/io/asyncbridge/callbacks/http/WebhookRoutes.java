package io.asyncbridge.callbacks.http;

import io.asyncbridge.core.config.CallbackSettings;
import io.asyncbridge.core.http.ErrorResponder;
import io.vertx.core.Vertx;
import java.time.Duration;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The endpoint's routes; one method reference per route, one error renderer for all. */
public final class WebhookRoutes {

  public static final String PER_TASK_ROUTE = "/callbacks/:provider/:taskId/:token";
  public static final String PROVIDER_ROUTE = "/callbacks/:provider";

  private WebhookRoutes() {
  }

  /** What the webhook endpoint's error answers say about it: where webhooks go, its body limit, its Retry-After. */
  public static ErrorResponder.Endpoint errorEndpoint(CallbackSettings settings) {
    return new ErrorResponder.Endpoint("webhook endpoint",
        "no such endpoint; webhooks go to POST /callbacks/<provider>/<taskId>/<token>",
        "use POST for webhooks and GET for health checks", false, settings.maxBodyBytes(), settings.retryAfter());
  }

  public static Router create(Vertx vertx, WebhookHandler webhooks, HealthHandler health, ErrorResponder errors,
                              long maxBodyBytes, Duration bodyReadTimeout) {
    return create(vertx, webhooks, health, errors, maxBodyBytes, bodyReadTimeout, null);
  }

  /** @param meters counts every answer of the webhook routes by status; null counts nothing */
  public static Router create(Vertx vertx, WebhookHandler webhooks, HealthHandler health, ErrorResponder errors,
                              long maxBodyBytes, Duration bodyReadTimeout, WebhookMeters meters) {
    Router router = Router.router(vertx);
    if (meters != null) {
      router.route("/callbacks/*").handler(meters::track);
    }
    BodyReadDeadline deadline = new BodyReadDeadline(bodyReadTimeout);
    // The limit is enforced while reading (and up front from Content-Length): a large body is never buffered whole.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    // Vert.x Web wants a body handler first on its route, so what must come before reading the body (the body deadline,
    // the provider check) is a route of its own that passes on to the next.
    for (String path : new String[] {PER_TASK_ROUTE, PROVIDER_ROUTE}) {
      router.post(path).handler(deadline::arm).handler(webhooks::resolveProvider).failureHandler(errors);
      router.post(path).handler(body).handler(BodyReadDeadline::bodyRead).handler(webhooks::receive).failureHandler(errors);
    }
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.errorHandler(404, errors);
    router.errorHandler(405, errors);
    router.errorHandler(500, errors);
    return router;
  }
}
