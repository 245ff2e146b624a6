package io.asyncbridge.callbacks.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** Liveness (the process answers) and readiness (it can take webhooks: Kafka is reachable, not shutting down). */
public final class HealthHandler {

  private final BooleanSupplier ready;

  public HealthHandler(BooleanSupplier ready) {
    this.ready = ready;
  }

  public void live(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end("{\"status\":\"up\"}");
  }

  public void ready(RoutingContext ctx) {
    boolean isReady = ready.getAsBoolean();
    ctx.response().setStatusCode(isReady ? 200 : 503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(isReady ? "{\"status\":\"ready\"}" : "{\"status\":\"not_ready\"}");
  }
}
