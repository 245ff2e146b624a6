package io.asyncbridge.benchmarks.webhooks;

import com.fasterxml.jackson.core.JsonPointer;
import io.asyncbridge.callbacks.correlation.WebhookReceived;
import io.asyncbridge.core.http.HttpError;
import io.asyncbridge.callbacks.http.JsonBodies;
import io.asyncbridge.callbacks.webhook.KafkaWebhookSink;
import io.asyncbridge.core.config.BridgeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;

/**
 * A second reference, to locate the callbacks service's cost: the bare server, the body checked as JSON and handed
 * to the service's own {@link KafkaWebhookSink} (its producer settings, its serde) on a topic
 * no topology reads; 202 when the sink confirms. No signature check, no correlation topology.
 */
public final class SinkOnlyServer {

  private static final JsonPointer EVENT_ID = JsonPointer.compile("/eventId");

  private final Vertx vertx;
  private final KafkaWebhookSink sink;
  private final JsonBodies bodies = new JsonBodies();
  private HttpServer server;

  public SinkOnlyServer(Vertx vertx, BridgeConfig config, String topic) {
    this.vertx = vertx;
    this.sink = KafkaWebhookSink.create(KafkaWebhookSink.producerProperties(config), topic);
  }

  public Future<Integer> start() {
    Router router = Router.router(vertx);
    router.post("/callbacks/:provider").handler(BodyHandler.create(false).setBodyLimit(65_536)).handler(ctx -> {
      byte[] body = ctx.body().buffer().getBytes();
      String eventId;
      try {
        eventId = bodies.correlationId(body, EVENT_ID);
      } catch (HttpError e) {
        ctx.response().setStatusCode(400).end();
        return;
      }
      WebhookReceived webhook = new WebhookReceived(ctx.pathParam("provider"), null, eventId, Instant.now(), body);
      Future.fromCompletionStage(sink.send(webhook), vertx.getOrCreateContext()).onComplete(result -> {
        if (result.succeeded()) {
          ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end("{\"status\":\"accepted\"}");
        } else {
          ctx.response().setStatusCode(503).end();
        }
      });
    });
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(router)
        .listen().map(listening -> {
          server = listening;
          return listening.actualPort();
        });
  }

  public void close() {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().join();
    }
    sink.close();
  }
}
