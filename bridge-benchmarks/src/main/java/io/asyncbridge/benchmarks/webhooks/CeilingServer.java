package io.asyncbridge.benchmarks.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The HTTP ceiling: the callbacks endpoint's server configuration (one HttpServer, a Router, a BodyHandler with a
 * limit) answering 202 at once, without signature checks or Kafka.
 */
public final class CeilingServer {

  private final Vertx vertx;
  private HttpServer server;

  public CeilingServer(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Integer> start() {
    Router router = Router.router(vertx);
    router.post("/callbacks/:provider").handler(BodyHandler.create(false).setBodyLimit(65_536))
        .handler(ctx -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
            .end("{\"status\":\"accepted\"}"));
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(router)
        .listen().map(listening -> {
          server = listening;
          return listening.actualPort();
        });
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
