package io.asyncbridge.poller.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.poller.PollerService;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poller restarted with 10,000 tasks in flight: the schedule is rebuilt from the restored store, every task is
 * polled again within one interval, the first polls are spread over that interval instead of fired at once, and no
 * task is ever polled twice at the same time. The upstream is a small server on loopback that answers "in progress"
 * after a short delay and records, per task, every poll and how many were open at once.
 */
@WithKafka
class PollerRestartIT {

  static final int TASKS = 10_000;
  static final Duration INTERVAL = Duration.ofSeconds(10);
  static final long ANSWER_DELAY_MS = 100;

  @TempDir
  Path stateRoot;

  Vertx vertx;
  HttpServer upstream;
  final Map<String, List<Long>> polls = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
  final AtomicInteger mostOpenForOneTask = new AtomicInteger();
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
    polls.computeIfAbsent(taskId, id -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(System.currentTimeMillis());
    AtomicInteger openNow = open.computeIfAbsent(taskId, id -> new AtomicInteger());
    mostOpenForOneTask.accumulateAndGet(openNow.incrementAndGet(), Math::max);
    vertx.setTimer(ANSWER_DELAY_MS, timer -> {
      openNow.decrementAndGet();
      if (!request.response().closed()) {
        request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"in-progress\"}");
      }
    });
  }

  BridgeConfig config(KafkaCluster kafka) {
    String id = kafka.uniqueTopic("restart");
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
          partitions: 3
          replicationFactor: 1
        providers:
          upstream:
            type: generic
            mode: poll
            baseUrl: %3$s/api
            auth: {type: none}
            notificationLinkPointer: /_links/notification/href
            status: {pointer: /status, succeeded: [completed], failed: [failed], running: [in-progress]}
            poll: {initialDelay: 0s, initialInterval: %4$ds, multiplier: 1, maxInterval: %4$ds, jitter: 0,
                   requestTimeout: 10s, concurrency: 512}
        """.formatted(kafka.bootstrapServers(), id, base, INTERVAL.toSeconds()));
  }

  PollerService startPoller(BridgeConfig config, String stateDir, ServiceMeters meters) {
    PollerService service = new PollerService(config, stateRoot.resolve(stateDir), vertx, Clock.systemUTC(), meters);
    services.add(service);
    service.start();
    return service;
  }

  @Test
  void aRestartedPollerPollsEveryTaskWithinOneIntervalSpreadOutAndNeverTwiceAtOnce(KafkaCluster kafka)
      throws Exception {
    BridgeConfig config = config(kafka);
    PollerService first = startPoller(config, "first", ServiceMeters.forTests("poller", config));
    handOff(kafka, config);
    await().atMost(Duration.ofSeconds(90)).until(() -> polls.size() == TASKS);

    first.close();
    services.remove(first);
    long stoppedAt = System.currentTimeMillis();
    // A replacement with an empty state directory: its store comes back from the changelog, its schedule from it.
    ServiceMeters meters = ServiceMeters.forTests("poller", config);
    startPoller(config, "replacement", meters);
    // Each stream task counts its tasks when it is initialized, after its store was restored.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> meters.inFlight().count("upstream") == TASKS);
    long runningAt = System.currentTimeMillis();

    Duration slack = Duration.ofSeconds(5); // a loaded 2-core machine: scheduling noise, not the design's bound
    await().atMost(INTERVAL.plus(slack).plusSeconds(10)).until(() -> polledSince(stoppedAt) == TASKS);

    List<Long> firstPollAfterRestart = new ArrayList<>();
    for (List<Long> times : polls.values()) {
      synchronized (times) {
        times.stream().filter(time -> time >= stoppedAt).findFirst().ifPresent(firstPollAfterRestart::add);
      }
    }
    long latest = firstPollAfterRestart.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(latest - runningAt).as("every task polled within one interval of the restore (ms)")
        .isLessThanOrEqualTo(INTERVAL.plus(slack).toMillis());
    // Spread: 10,000 tasks over 10 s is about 1,000 a second; all at once would be several thousand in one second.
    Map<Long, Long> perSecond = new java.util.TreeMap<>();
    firstPollAfterRestart.forEach(time -> perSecond.merge((time - runningAt) / 1000, 1L, Long::sum));
    long busiestSecond = perSecond.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(busiestSecond).as("first polls per second after the restore: %s", perSecond)
        .isLessThan(3L * TASKS / INTERVAL.toSeconds());
    assertThat(mostOpenForOneTask.get()).as("no task was ever polled twice at the same time").isEqualTo(1);
  }

  private long polledSince(long since) {
    return polls.values().stream().filter(times -> {
      synchronized (times) {
        return times.stream().anyMatch(time -> time >= since);
      }
    }).count();
  }

  private void handOff(KafkaCluster kafka, BridgeConfig config) throws Exception {
    String base = "http://127.0.0.1:" + upstream.actualPort() + "/api/notifications/";
    Instant now = Instant.now();
    try (KafkaProducer<String, TaskAccepted> producer = new KafkaProducer<>(kafka.producerConfig(),
        new StringSerializer(), JsonSerde.of(TaskAccepted.class))) {
      for (int i = 0; i < TASKS; i++) {
        String taskId = "restart-" + i;
        // Accepted over one interval, as tasks arrive in life, so the first round is spread too.
        Instant acceptedAt = now.plusMillis(i * INTERVAL.toMillis() / TASKS);
        producer.send(new ProducerRecord<>(config.topics().tasks(), taskId, new TaskAccepted(taskId, "upstream",
            TaskMode.POLL, now, acceptedAt, now.plus(Duration.ofHours(1)), 202, base + taskId, null, Map.of())));
      }
      producer.flush();
    }
  }
}
