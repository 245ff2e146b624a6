package io.asyncbridge.benchmarks.webhooks;

import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.benchmarks.support.BenchKafka;
import io.asyncbridge.benchmarks.support.Histogram;
import io.asyncbridge.benchmarks.support.ProcessMetrics;
import io.asyncbridge.benchmarks.support.TopicCounter;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Callback-to-completion latency: K callback-mode tasks are handed over first, then one signed webhook per task is
 * POSTed at a steady rate; latency = when a read_committed reader sees the task's completion minus when its webhook
 * was sent (same JVM clock, loopback).
 */
final class CallbackLatency {

  record Result(long completed, long tasks, double p50Millis, double p99Millis, long non202) {
  }

  private CallbackLatency() {
  }

  static Result run(BenchKafka kafka, BridgeConfig config, int port, int tasks, int ratePerSecond, Vertx vertx) {
    String run = "lat" + System.nanoTime() % 100_000;
    Instant now = Instant.now();
    try (KafkaProducer<String, TaskAccepted> producer = new KafkaProducer<>(kafka.loaderProducer(),
        new StringSerializer(), JsonSerde.of(TaskAccepted.class))) {
      for (int i = 0; i < tasks; i++) {
        String taskId = run + "-task-" + i;
        producer.send(new ProducerRecord<>(config.topics().tasks(), taskId, new TaskAccepted(taskId,
            BenchConfigs.CE_PROVIDER, TaskMode.CALLBACK, now, now, now.plus(Duration.ofHours(1)), 202, null,
            run + "-event-" + i, Map.of())));
      }
      producer.flush();
    }
    ProcessMetrics.sleep(5_000); // the correlation topology takes the hand-offs in first (commit interval 100 ms)

    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Histogram latency = new Histogram(0, 600_000, 1);
    AtomicLong non202 = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    // The topic may already hold other runs' completions: read from its end, and count only this run's tasks.
    try (TopicCounter completions = new TopicCounter(kafka, config.topics().completions(), Integer.MAX_VALUE, true,
        (record, at) -> {
          Long sent = sentAt.get(record.key());
          if (sent != null) {
            latency.record(at - sent);
            completed.incrementAndGet();
          }
        })) {
      if (!completions.awaitPositioned(30_000)) {
        throw new IllegalStateException("the completions reader did not find the end of its topic in 30 s");
      }
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1")
          .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(16));
      AtomicInteger next = new AtomicInteger();
      int perTick = Math.max(1, ratePerSecond / 100);
      long timer = vertx.setPeriodic(10, id -> {
        for (int k = 0; k < perTick; k++) {
          int i = next.getAndIncrement();
          if (i >= tasks) {
            return;
          }
          byte[] body = WebhookBodies.body(run + "-event-" + i);
          sentAt.put(run + "-task-" + i, System.currentTimeMillis());
          client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/callbacks/" + BenchConfigs.CE_PROVIDER))
              .compose(request -> request.putHeader("Content-Type", "application/json")
                  .putHeader("Elements-Webhook-Signature", WebhookBodies.signature(body)).send(Buffer.buffer(body)))
              .onComplete(result -> {
                if (result.failed() || result.result().statusCode() != 202) {
                  non202.incrementAndGet();
                }
              });
        }
      });
      long deadline = System.currentTimeMillis() + Math.max(60_000, tasks * 1000L / Math.max(1, ratePerSecond) + 60_000);
      while (completed.get() < tasks && System.currentTimeMillis() < deadline) {
        ProcessMetrics.sleep(100);
      }
      vertx.cancelTimer(timer);
      client.close();
      return new Result(completed.get(), tasks, latency.percentile(0.5), latency.percentile(0.99), non202.get());
    }
  }
}
