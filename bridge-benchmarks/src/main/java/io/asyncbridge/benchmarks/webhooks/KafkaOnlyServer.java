package io.asyncbridge.benchmarks.webhooks;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A reference point between the bare ceiling and the callbacks service (STACK.md's "Vert.x + one shared
 * KafkaProducer"): the same server configuration, the raw body sent as it is with the bridge's durable producer
 * settings (acks=all, idempotent, linger 1 ms), 202 in the send callback. No signature, no JSON, no sink thread.
 */
public final class KafkaOnlyServer {

  private final Vertx vertx;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
  private HttpServer server;

  public KafkaOnlyServer(Vertx vertx, BridgeConfig config, String topic) {
    this.vertx = vertx;
    this.producer = new KafkaProducer<>(new KafkaClientProperties(config.kafka()).durableProducer("bench-kafka-only"));
    this.topic = topic;
  }

  public Future<Integer> start() {
    Router router = Router.router(vertx);
    router.post("/callbacks/:provider").handler(BodyHandler.create(false).setBodyLimit(65_536)).handler(ctx -> {
      Context context = vertx.getOrCreateContext();
      // One key per webhook, as the service's correlation keys: records spread over all partitions like its records.
      String key = ctx.pathParam("provider") + "|" + sequence.incrementAndGet();
      producer.send(new ProducerRecord<>(topic, key, ctx.body().buffer().getBytes()),
          (metadata, failure) -> context.runOnContext(ignored -> {
            if (failure == null) {
              ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                  .end("{\"status\":\"accepted\"}");
            } else {
              ctx.response().setStatusCode(503).end();
            }
          }));
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
    producer.close(Duration.ofSeconds(5));
  }
}
