package io.asyncbridge.core.observability;

import io.asyncbridge.core.config.ManagementSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management endpoint of one process: {@code GET /metrics} (Prometheus text format, every service of the
 * process), {@code GET /health/live} and {@code GET /health/ready} (JSON with each service's detail; 503 when not
 * live or not ready). Scrapes run on a worker thread: the event loops may also serve webhooks.
 */
public final class ManagementServer {

  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final ManagementSettings settings;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Map<String, ServiceHealth>> health;
  private final Handler<HttpServerRequest> extension;
  private HttpServer server;

  /** @param health each service's health by name, asked on every health request */
  public ManagementServer(Vertx vertx, ManagementSettings settings, PrometheusMeterRegistry registry,
      Supplier<Map<String, ServiceHealth>> health) {
    this(vertx, settings, registry, health, null);
  }

  /** @param extension answers {@code /api/...} and {@code /ui/...} (the task status API and web view); null for none */
  public ManagementServer(Vertx vertx, ManagementSettings settings, PrometheusMeterRegistry registry,
      Supplier<Map<String, ServiceHealth>> health, Handler<HttpServerRequest> extension) {
    this.vertx = vertx;
    this.settings = settings;
    this.registry = registry;
    this.health = health;
    this.extension = extension;
  }

  /** Listens; the future's value is the actual port (useful with port 0), or -1 when the endpoint is disabled. */
  public Future<Integer> start() {
    if (!settings.enabled()) {
      return Future.succeededFuture(-1);
    }
    return vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()))
        .requestHandler(this::handle)
        .listen()
        .map(listening -> {
          synchronized (this) {
            server = listening;
          }
          LOG.info("management endpoint on {}:{} (/metrics, /health/live, /health/ready)", settings.host(),
              listening.actualPort());
          return listening.actualPort();
        })
        .recover(failure -> Future.failedFuture(new IllegalStateException("cannot listen for management on "
            + settings.host() + ":" + settings.port() + " (management.port): " + failure.getMessage(), failure)));
  }

  /** The actual port, -1 when not listening. */
  public synchronized int port() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> close() {
    HttpServer current;
    synchronized (this) {
      current = server;
      server = null;
    }
    return current == null ? Future.succeededFuture() : current.close();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (extension != null && (path.startsWith("/api/") || path.equals("/ui") || path.startsWith("/ui/"))) {
      extension.handle(request);
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      json(request, 405, new JsonObject().put("error", "use GET"));
      return;
    }
    switch (request.path()) {
      case "/metrics" -> metrics(request);
      case "/health/live" -> live(request);
      case "/health/ready" -> ready(request);
      default -> json(request, 404, new JsonObject().put("error", "no such endpoint; try /metrics, /health/live,"
          + " /health/ready"));
    }
  }

  private void metrics(HttpServerRequest request) {
    vertx.executeBlocking(registry::scrape, false).onComplete(result -> {
      if (result.succeeded()) {
        request.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(result.result());
      } else {
        LOG.warn("metrics scrape failed", result.cause());
        json(request, 500, new JsonObject().put("error", "scrape failed: " + result.cause()));
      }
    });
  }

  private void live(HttpServerRequest request) {
    Map<String, ServiceHealth> services = health.get();
    boolean live = services.values().stream().allMatch(ServiceHealth::live);
    json(request, live ? 200 : 503, answer(live ? "up" : "down", services));
  }

  private void ready(HttpServerRequest request) {
    Map<String, ServiceHealth> services = health.get();
    boolean ready = !services.isEmpty() && services.values().stream().allMatch(ServiceHealth::ready);
    json(request, ready ? 200 : 503, answer(ready ? "ready" : "not_ready", services));
  }

  static JsonObject answer(String status, Map<String, ServiceHealth> services) {
    JsonObject byName = new JsonObject();
    services.forEach((name, service) -> {
      JsonObject one = new JsonObject().put("live", service.live()).put("ready", service.ready());
      service.detail().forEach(one::put);
      byName.put(name, one);
    });
    return new JsonObject().put("status", status).put("services", byName);
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
