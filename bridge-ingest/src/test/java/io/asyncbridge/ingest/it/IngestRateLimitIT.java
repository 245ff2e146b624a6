package io.asyncbridge.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.BridgeMeters;
import io.asyncbridge.core.ratelimit.UpstreamRateLimit;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.ingest.IngestService;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.time.Arrivals;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest instances hold one {@code dispatch.rateLimit} together: each takes the share of the requests topic's
 * partitions its stream threads own (read once a second), and a starting call without a token waits instead of being
 * dropped. The upstream is a loopback server that records when each starting call arrived.
 */
@WithKafka
class IngestRateLimitIT {

  static final int REQUESTS = 30;
  static final double LIMIT = 10;
  /** Each instance's burst (at least one call, 200 ms of its share), plus 4 for scheduling noise. */
  static final int TOLERANCE = 2 + 4;

  @TempDir
  Path stateDir;

  Vertx vertx;
  HttpServer upstream;
  final List<Long> arrivals = new CopyOnWriteArrayList<>();
  final List<IngestService> services = new ArrayList<>();
  BridgeConfig config;

  @BeforeEach
  void start(KafkaCluster kafka) throws Exception {
    vertx = Vertx.vertx();
    upstream = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String id = kafka.uniqueTopic("ingest-limit");
    config = new BridgeConfigLoader(Map.of()).parse("it", """
        kafka:
          bootstrapServers: %1$s
          applicationPrefix: %2$s
        topics:
          requests: %2$s.requests
          completions: %2$s.completions
          progress: %2$s.progress
          deadLetter: %2$s.dlq
          tasks: %2$s.tasks
          dispatchResults: %2$s.results
          webhooks: %2$s.webhooks
          partitions: 3
          replicationFactor: 1
        providers:
          jobs:
            type: generic
            mode: poll
            baseUrl: http://127.0.0.1:%3$d
            auth: {type: none}
            notificationLinkPointer: /link
            status: {succeeded: [done]}
            dispatch: {rateLimit: %4$s}
        """.formatted(kafka.bootstrapServers(), id, upstream.actualPort(), LIMIT));
  }

  @AfterEach
  void stop() throws Exception {
    services.forEach(IngestService::close);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void answer(HttpServerRequest request) {
    if (request.path().equals("/jobs")) {
      arrivals.add(System.nanoTime());
    }
    request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
        .end("{\"link\":\"http://127.0.0.1:" + upstream.actualPort() + "/status/1\"}");
  }

  private IngestService ingest(String instance, PrometheusMeterRegistry registry) {
    IngestService service = new IngestService(new ServiceContext(config, stateDir.resolve(instance), vertx,
        Clock.systemUTC(), registry));
    services.add(service);
    service.start();
    return service;
  }

  static double share(PrometheusMeterRegistry registry) {
    var gauge = registry.find(UpstreamRateLimit.LIMIT).tags("provider", "jobs", "kind", "dispatch").gauge();
    return gauge == null ? -1 : gauge.value();
  }

  @Test
  void twoIngestInstancesTogetherStayWithinTheLimitAndHandOverEveryRequest(KafkaCluster kafka) throws Exception {
    PrometheusMeterRegistry first = BridgeMeters.newRegistry();
    PrometheusMeterRegistry second = BridgeMeters.newRegistry();
    ingest("first", first);
    ingest("second", second);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
        share(first) > 0 && share(second) > 0 && Math.abs(share(first) + share(second) - LIMIT) < 1e-9);

    // Warm both HTTP clients up (a cold one lets paced calls arrive together), then measure.
    send(kafka, "warm-", "/warm", 6);
    awaitHandOver(kafka, "warm-", 6);
    send(kafka, "limited-", "/jobs", REQUESTS);
    Set<String> handedOver = awaitHandOver(kafka, "limited-", REQUESTS);

    assertThat(handedOver).hasSize(REQUESTS);
    assertThat(arrivals).as("each request called upstream once").hasSize(REQUESTS);
    int busiest = Arrivals.busiestSecond(arrivals);
    System.out.println("busiest second " + busiest + "; shares " + share(first) + " / " + share(second));
    assertThat(busiest).as("starting calls in the busiest second, limit %s, tolerance %s", LIMIT, TOLERANCE)
        .isLessThanOrEqualTo((int) LIMIT + TOLERANCE);
    double waited = first.get(UpstreamRateLimit.WAIT).timer().totalTime(TimeUnit.MILLISECONDS)
        + second.get(UpstreamRateLimit.WAIT).timer().totalTime(TimeUnit.MILLISECONDS);
    assertThat(waited).as("requests waited for tokens: the limit paced them").isPositive();
  }


  private void send(KafkaCluster kafka, String prefix, String path, int count) throws Exception {
    Map<String, Object> props = new HashMap<>(kafka.producerConfig());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < count; i++) {
        String taskId = prefix + i;
        String json = "{\"taskId\":\"" + taskId + "\",\"provider\":\"jobs\",\"method\":\"POST\",\"path\":\"" + path
            + "\",\"body\":{}}";
        producer.send(new ProducerRecord<>(config.topics().requests(), taskId, json.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  /** The tasks handed to the poller (read_committed), by prefix. */
  private Set<String> awaitHandOver(KafkaCluster kafka, String prefix, int count) {
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(kafka.uniqueTopic("r")),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(config.topics().tasks()));
      await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(20)).until(() -> {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key().startsWith(prefix)) {
            seen.add(record.key());
          }
        }
        return seen.size() >= count;
      });
    }
    return seen;
  }
}
