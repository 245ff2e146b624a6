package io.asyncbridge.poller.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.ratelimit.TokenBucket;
import io.asyncbridge.core.ratelimit.UpstreamRateLimit;
import io.asyncbridge.poller.PollerService;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.time.Arrivals;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pollers hold one {@code poll.rateLimit} together, with no coordinator: each takes the share of the tasks
 * topic's partitions it owns. The upstream is a loopback server that records when each poll arrived and answers
 * "in progress" a few times per task, then "completed". The tasks ask for far more polls than the limit allows (every
 * 100 ms each), so the limit is what paces them; every task must still complete, exactly once.
 */
@WithKafka
class PollerRateLimitIT {

  static final int TASKS = 40;
  static final String MEASURED = "limited-";
  /** Tasks that complete at their first poll, sent first so that each instance's HTTP client is warm. */
  static final String WARM_UP = "warm-";
  static final int WARM_UP_TASKS = 16;
  static final int POLLS_PER_TASK = 4; // three "in progress", then "completed"
  static final double LIMIT = 20;
  static final int PARTITIONS = 4;
  /**
   * What the busiest second may hold beyond the limit: each instance's burst (200 ms of its share, at least one
   * token), plus 4 for the scheduling noise of a loaded machine between taking a token and the poll's arrival.
   */
  static final int TOLERANCE = 2 * (int) Math.ceil(Math.max(1, LIMIT / 2 * TokenBucket.BURST_SECONDS)) + 4;

  @TempDir
  Path stateRoot;

  Vertx vertx;
  HttpServer upstream;
  final List<Long> arrivals = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> pollsPerTask = new ConcurrentHashMap<>();
  final List<PollerService> services = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    services.forEach(PollerService::close);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void answer(HttpServerRequest request) {
    String taskId = request.path().substring(request.path().lastIndexOf('/') + 1);
    if (taskId.startsWith(WARM_UP)) {
      request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"completed\"}");
      return;
    }
    arrivals.add(System.nanoTime());
    int poll = pollsPerTask.computeIfAbsent(taskId, id -> new AtomicInteger()).incrementAndGet();
    String status = poll >= POLLS_PER_TASK ? "completed" : "in-progress";
    request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"" + status + "\"}");
  }

  BridgeConfig config(KafkaCluster kafka) {
    String id = kafka.uniqueTopic("ratelimit");
    String base = "http://127.0.0.1:" + upstream.actualPort();
    return new BridgeConfigLoader(Map.of()).parse("it", """
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
          partitions: %4$d
          replicationFactor: 1
        providers:
          upstream:
            type: generic
            mode: poll
            baseUrl: %3$s/api
            auth: {type: none}
            notificationLinkPointer: /_links/notification/href
            status: {pointer: /status, succeeded: [completed], failed: [failed], running: [in-progress]}
            poll: {initialDelay: 0s, initialInterval: 100ms, multiplier: 1, maxInterval: 100ms, jitter: 0,
                   requestTimeout: 10s, concurrency: 64, rateLimit: %5$s}
        """.formatted(kafka.bootstrapServers(), id, base, PARTITIONS, LIMIT));
  }

  PollerService startPoller(BridgeConfig config, String stateDir, ServiceMeters meters) {
    PollerService service = new PollerService(config, stateRoot.resolve(stateDir), vertx, Clock.systemUTC(), meters);
    services.add(service);
    service.start();
    return service;
  }

  static double share(ServiceMeters meters) {
    return meters.registry().get(UpstreamRateLimit.LIMIT).tags("provider", "upstream", "kind", "poll").gauge().value();
  }

  @Test
  void twoPollersTogetherStayWithinTheLimitAndEveryTaskCompletes(KafkaCluster kafka) throws Exception {
    BridgeConfig config = config(kafka);
    ServiceMeters first = ServiceMeters.forTests("poller", config);
    ServiceMeters second = ServiceMeters.forTests("poller", config);
    startPoller(config, "first", first);
    startPoller(config, "second", second);
    // Each owns half of the partitions once the group has settled, so each takes half of the limit.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> share(first) == LIMIT / 2 && share(second) == LIMIT / 2);

    // A cold HTTP client (class loading, first connections) holds the first polls back and then lets them arrive
    // together, which would be measured as a burst the limit did not allow: warm both instances up first.
    handOff(kafka, config, WARM_UP, WARM_UP_TASKS);
    awaitCompletions(kafka, config, WARM_UP, WARM_UP_TASKS);
    handOff(kafka, config, MEASURED, TASKS);
    Set<String> completed = awaitCompletions(kafka, config, MEASURED, TASKS);

    assertThat(completed).hasSize(TASKS);
    assertThat(pollsPerTask.values()).allSatisfy(polls -> assertThat(polls.get()).isEqualTo(POLLS_PER_TASK));
    int busiest = Arrivals.busiestSecond(arrivals);
    // What the run looked like, for whoever reads a failure: tokens taken per instance and arrivals per 100 ms.
    long firstTokens = first.registry().get(UpstreamRateLimit.WAIT).timer().count();
    long secondTokens = second.registry().get(UpstreamRateLimit.WAIT).timer().count();
    System.out.println("busiest second " + busiest + "; tokens taken: first " + firstTokens + ", second "
        + secondTokens + "; arrivals " + arrivals.size() + " per 100 ms: " + histogram(arrivals));
    assertThat(busiest).as("polls in the busiest second, limit %s, tolerance %s", LIMIT, TOLERANCE)
        .isLessThanOrEqualTo((int) LIMIT + TOLERANCE);
    // Both instances polled: the limit was held by the two together, not by one that owned everything.
    assertThat(firstTokens).isPositive();
    assertThat(secondTokens).isPositive();
    assertThat(firstTokens + secondTokens).as("every poll took a token, the warm-up polls too")
        .isEqualTo(arrivals.size() + WARM_UP_TASKS);
    double waitedMillis = first.registry().get(UpstreamRateLimit.WAIT).timer().totalTime(TimeUnit.MILLISECONDS)
        + second.registry().get(UpstreamRateLimit.WAIT).timer().totalTime(TimeUnit.MILLISECONDS);
    assertThat(waitedMillis).as("tasks waited for tokens: the limit paced them").isPositive();
  }

  static String histogram(List<Long> arrivalNanos) {
    List<Long> sorted = new ArrayList<>(arrivalNanos);
    sorted.sort(Long::compare);
    java.util.TreeMap<Long, Integer> bins = new java.util.TreeMap<>();
    sorted.forEach(t -> bins.merge((t - sorted.get(0)) / 100_000_000L, 1, Integer::sum));
    return bins.toString();
  }


  private void handOff(KafkaCluster kafka, BridgeConfig config, String prefix, int tasks) {
    String base = "http://127.0.0.1:" + upstream.actualPort() + "/api/notifications/";
    Instant now = Instant.now();
    try (KafkaProducer<String, TaskAccepted> producer = new KafkaProducer<>(kafka.producerConfig(),
        new StringSerializer(), JsonSerde.of(TaskAccepted.class))) {
      for (int i = 0; i < tasks; i++) {
        String taskId = prefix + i;
        producer.send(new ProducerRecord<>(config.topics().tasks(), taskId, new TaskAccepted(taskId, "upstream",
            TaskMode.POLL, now, now, now.plus(Duration.ofHours(1)), 202, base + taskId, null, Map.of())));
      }
      producer.flush();
    }
  }

  /** Reads completions (read_committed) until every task has one; a second completion for a task fails the test. */
  private Set<String> awaitCompletions(KafkaCluster kafka, BridgeConfig config, String prefix, int tasks) {
    Set<String> seen = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    Map<String, Object> props = kafka.consumerConfig(kafka.uniqueTopic("reader"));
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(config.topics().completions()));
      await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(20)).until(() -> {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key().startsWith(prefix) && !seen.add(record.key())) {
            duplicates.add(record.key());
          }
        }
        return seen.size() >= tasks;
      });
    }
    assertThat(duplicates).as("tasks completed twice").isEmpty();
    return seen;
  }
}
