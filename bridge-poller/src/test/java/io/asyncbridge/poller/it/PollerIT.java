package io.asyncbridge.poller.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.poller.PollerService;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The poller on the real broker against the simulator: exactly one completion per task, with the right status, also
 * when an instance stops mid-batch and another takes over.
 */
@WithKafka
class PollerIT {

  @TempDir
  Path stateRoot;

  Vertx vertx;
  SimulatedAcquia acquia;
  final List<PollerService> services = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    acquia = new SimulatedAcquia(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    services.forEach(PollerService::close);
    acquia.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  BridgeConfig config(KafkaCluster kafka) {
    String id = kafka.uniqueTopic("poller");
    return new BridgeConfigLoader(Map.of()).parse("it", """
        kafka:
          bootstrapServers: %s
          applicationPrefix: %s
        topics:
          completions: %s.completions
          progress: %s.progress
          tasks: %s.tasks
          requests: %s.requests
          deadLetter: %s.dlq
          dispatchResults: %s.results
          webhooks: %s.webhooks
          partitions: 3
          replicationFactor: 1
        providers:
          acquia:
            type: acquia
            baseUrl: %s
            tokenUrl: %s
            clientId: simulator-client-id
            clientSecret: simulator-client-secret
            poll:
              initialDelay: PT0.2S
              initialInterval: PT0.3S
              multiplier: 1.5
              maxInterval: PT1S
              jitter: 0.1
              notFoundGrace: PT20S
              requestTimeout: PT2S
        """.formatted(kafka.bootstrapServers(), id, id, id, id, id, id, id, id, acquia.baseUrl(),
        acquia.tokenUrl()));
  }

  PollerService startPoller(BridgeConfig config, String stateDir) {
    PollerService service = new PollerService(config, stateRoot.resolve(stateDir), vertx, Clock.systemUTC(),
        ServiceMeters.forTests(PollerService.NAME, config));
    services.add(service);
    service.start();
    return service;
  }

  /** Starts each scenario on the simulator and hands the task to the poller; returns taskId -> scenario. */
  Map<String, String> handOff(KafkaCluster kafka, BridgeConfig config, Map<String, String> scenarios,
      Map<String, Duration> timeouts) throws Exception {
    try (KafkaProducer<String, TaskAccepted> producer = new KafkaProducer<>(kafka.producerConfig(),
        new StringSerializer(), JsonSerde.of(TaskAccepted.class))) {
      for (Map.Entry<String, String> task : scenarios.entrySet()) {
        String url = acquia.startTask(task.getKey(), task.getValue());
        Instant now = Instant.now();
        Duration timeout = timeouts.getOrDefault(task.getKey(), Duration.ofMinutes(2));
        producer.send(new ProducerRecord<>(config.topics().tasks(), task.getKey(), new TaskAccepted(task.getKey(),
            "acquia", TaskMode.POLL, now, now, now.plus(timeout), 202, url, null, Map.of("scenario",
            task.getValue())))).get();
      }
    }
    return scenarios;
  }

  /** Reads completions with read_committed until every task has one, then checks that none gets a second. */
  Map<String, List<Completion>> awaitCompletions(KafkaCluster kafka, BridgeConfig config, int tasks) {
    Map<String, List<Completion>> seen = new HashMap<>();
    JsonSerde<Completion> serde = JsonSerde.of(Completion.class);
    Map<String, Object> props = kafka.consumerConfig(kafka.uniqueTopic("reader"));
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(config.topics().completions()));
      Runnable read = () -> {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          seen.computeIfAbsent(record.key(), key -> new ArrayList<>())
              .add(serde.deserialize(record.topic(), record.value()));
        }
      };
      await().atMost(Duration.ofSeconds(120)).pollInSameThread().pollInterval(Duration.ofMillis(10))
          .until(() -> {
            read.run();
            return seen.size() >= tasks;
          });
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInSameThread()
          .pollInterval(Duration.ofMillis(10))
          .until(() -> {
            read.run();
            return seen.values().stream().allMatch(list -> list.size() == 1);
          });
    }
    return seen;
  }

  @Test
  void aMixedBatchEndsWithExactlyOneCompletionPerTaskWithTheRightStatus(KafkaCluster kafka) throws Exception {
    BridgeConfig config = config(kafka);
    startPoller(config, "a");
    Map<String, String> scenarios = new LinkedHashMap<>();
    scenarios.put("ok", "duration=1500");
    scenarios.put("ok-succeeded-word", "succeeded-word,duration=800");
    scenarios.put("ok-unknown-word", "unknown-word,duration=1500");
    scenarios.put("fails", "fail,duration=800");
    scenarios.put("lags", "lag404=2000,duration=2500");
    scenarios.put("throttled", "poll429=2,duration=500");
    scenarios.put("flaky", "poll5xx=2,duration=500");
    scenarios.put("never", "never");

    handOff(kafka, config, scenarios, Map.of("never", Duration.ofSeconds(4)));
    Map<String, List<Completion>> completions = awaitCompletions(kafka, config, scenarios.size());

    assertThat(completions.keySet()).containsExactlyInAnyOrderElementsOf(scenarios.keySet());
    Map<String, CompletionStatus> statuses = new HashMap<>();
    completions.forEach((taskId, list) -> statuses.put(taskId, list.get(0).status()));
    assertThat(statuses).containsEntry("ok", CompletionStatus.SUCCEEDED)
        .containsEntry("ok-succeeded-word", CompletionStatus.SUCCEEDED)
        .containsEntry("ok-unknown-word", CompletionStatus.SUCCEEDED)
        .containsEntry("fails", CompletionStatus.FAILED)
        .containsEntry("lags", CompletionStatus.SUCCEEDED)
        .containsEntry("throttled", CompletionStatus.SUCCEEDED)
        .containsEntry("flaky", CompletionStatus.SUCCEEDED)
        .containsEntry("never", CompletionStatus.TIMED_OUT);
    Completion ok = completions.get("ok").get(0);
    assertThat(ok.result().get("status").asText()).isEqualTo("completed");
    assertThat(ok.metadata()).containsEntry("scenario", "duration=1500");
    assertThat(completions.get("fails").get(0).error().code()).isEqualTo("upstream_failed");
  }

  @Test
  void aPollerStoppedMidBatchIsReplacedWithoutLosingOrDoublingATask(KafkaCluster kafka) throws Exception {
    BridgeConfig config = config(kafka);
    PollerService first = startPoller(config, "first");
    Map<String, String> scenarios = new LinkedHashMap<>();
    for (int i = 0; i < 24; i++) {
      scenarios.put("restart-" + i, "duration=" + (500 + 250 * i));
    }
    handOff(kafka, config, scenarios, Map.of());
    await().atMost(Duration.ofSeconds(60)).until(() -> countCompleted(kafka, config) >= 3);

    first.close();
    startPoller(config, "second"); // same application id, a fresh state dir: state comes from the changelog

    Map<String, List<Completion>> completions = awaitCompletions(kafka, config, scenarios.size());
    assertThat(completions.keySet()).containsExactlyInAnyOrderElementsOf(scenarios.keySet());
    assertThat(completions.values()).allSatisfy(list ->
        assertThat(list).singleElement().extracting(Completion::status).isEqualTo(CompletionStatus.SUCCEEDED));
  }

  @Test
  void twoInstancesShareTheWorkAndOneTakesOverWhenTheOtherCloses(KafkaCluster kafka) throws Exception {
    BridgeConfig config = config(kafka);
    PollerService a = startPoller(config, "a");
    startPoller(config, "b");
    Map<String, String> scenarios = new LinkedHashMap<>();
    for (int i = 0; i < 24; i++) {
      scenarios.put("shared-" + i, i % 4 == 0 ? "fail,duration=" + (400 + 200 * i) : "duration=" + (400 + 200 * i));
    }
    handOff(kafka, config, scenarios, Map.of());
    await().atMost(Duration.ofSeconds(60)).until(() -> countCompleted(kafka, config) >= 4);

    a.close();

    Map<String, List<Completion>> completions = awaitCompletions(kafka, config, scenarios.size());
    assertThat(completions.keySet()).containsExactlyInAnyOrderElementsOf(scenarios.keySet());
    completions.forEach((taskId, list) -> {
      int index = Integer.parseInt(taskId.substring("shared-".length()));
      assertThat(list).singleElement().extracting(Completion::status)
          .isEqualTo(index % 4 == 0 ? CompletionStatus.FAILED : CompletionStatus.SUCCEEDED);
    });
  }

  @Test
  void progressEventsReachTheProgressTopic(KafkaCluster kafka) throws Exception {
    BridgeConfig config = config(kafka);
    startPoller(config, "p");
    handOff(kafka, config, Map.of("progress", "duration=3000"), Map.of());
    awaitCompletions(kafka, config, 1);

    Map<String, Object> props = kafka.consumerConfig(kafka.uniqueTopic("progress-reader"));
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    List<ProgressEvent> events = new ArrayList<>();
    try (KafkaConsumer<String, ProgressEvent> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        JsonSerde.of(ProgressEvent.class))) {
      consumer.subscribe(List.of(config.topics().progress()));
      await().atMost(Duration.ofSeconds(20)).pollInSameThread().until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> events.add(record.value()));
        return events.stream().anyMatch(event -> event.progress() == 100);
      });
    }
    assertThat(events).extracting(ProgressEvent::progress).isSorted().doesNotHaveDuplicates();
  }

  private static long countCompleted(KafkaCluster kafka, BridgeConfig config) {
    Map<String, Object> props = kafka.consumerConfig(kafka.uniqueTopic("count"));
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var partitions = consumer.partitionsFor(config.topics().completions()).stream()
          .map(info -> new org.apache.kafka.common.TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long count = 0;
      for (var offset : consumer.endOffsets(partitions).entrySet()) {
        count += offset.getValue() - consumer.position(offset.getKey());
      }
      return count; // committed transactions leave control markers, so this over-counts a little: a hint only
    }
  }
}
