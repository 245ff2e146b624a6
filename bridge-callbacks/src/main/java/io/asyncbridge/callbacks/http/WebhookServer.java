package io.asyncbridge.callbacks.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/** The HTTP server of the webhook endpoint. */
public final class WebhookServer {

  private final Vertx vertx;
  private final Router router;
  private final String host;
  private final int port;
  private HttpServer server;

  public WebhookServer(Vertx vertx, Router router, String host, int port) {
    this.vertx = vertx;
    this.router = router;
    this.host = host;
    this.port = port;
  }

  /** Listens; the future's value is the actual port (useful with port 0). */
  public Future<Integer> start() {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port);
    return vertx.createHttpServer(options).requestHandler(router).listen().map(listening -> {
      synchronized (this) {
        server = listening;
      }
      return listening.actualPort();
    });
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
}
