package io.asyncbridge.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.callbacks.testing.CompletionsReader;
import io.asyncbridge.callbacks.testing.Signatures;
import io.asyncbridge.callbacks.testing.TestConfigs;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The callbacks service end to end on the real broker: HTTP in, completions out. */
@WithKafka
class CallbacksServiceIT {

  private static final EventSchemaValidator VALIDATOR = EventSchemaValidator.create();
  private static final JsonSerde<TaskAccepted> TASKS = JsonSerde.of(TaskAccepted.class);

  @TempDir
  Path stateRoot;

  private final KafkaCluster cluster;
  private BridgeConfig config;
  private CallbackTokens tokens;
  private Vertx vertx;
  private WebClient client;
  private KafkaProducer<String, byte[]> producer;
  private CompletionsReader completions;
  private final List<CallbacksService> services = new ArrayList<>();

  CallbacksServiceIT(KafkaCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeEach
  void setUp() {
    String prefix = cluster.uniqueTopic("cb");
    config = TestConfigs.config(cluster.bootstrapServers(), prefix, 0);
    tokens = new CallbackTokens(config.callbacks().tokenSecret().orElseThrow());
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    producer = new KafkaProducer<>(cluster.producerConfig(), new StringSerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void tearDown() {
    cluster.embeddedBroker().filter(broker -> !broker.isRunning()).ifPresent(EmbeddedKafkaBroker::start);
    services.forEach(CallbacksService::close);
    if (completions != null) {
      completions.close();
    }
    producer.close(Duration.ofSeconds(5));
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aMixedBatchEndsWithExactlyOneCompletionPerTask() throws Exception {
    CallbacksService service = startService("a");
    String run = UUID.randomUUID().toString().substring(0, 8);

    accept(task("normal-" + run, "e1-" + run, Duration.ofMinutes(10)));
    assertThat(webhook(service, "normal-" + run, "{\"eventId\": \"e1-" + run + "\", \"response\": {}}").statusCode())
        .isEqualTo(202);

    assertThat(webhook(service, "early-" + run, "{\"eventId\": \"e2-" + run + "\"}").statusCode()).isEqualTo(202);
    accept(task("early-" + run, "e2-" + run, Duration.ofMinutes(10)));

    accept(task("dup-" + run, "e3-" + run, Duration.ofMinutes(10)));
    for (int i = 0; i < 3; i++) {
      assertThat(webhook(service, "dup-" + run, "{\"eventId\": \"e3-" + run + "\"}").statusCode()).isEqualTo(202);
    }

    accept(task("failed-" + run, "e4-" + run, Duration.ofMinutes(10)));
    assertThat(webhook(service, "failed-" + run,
        "{\"eventId\": \"e4-" + run + "\", \"response\": {\"error\": \"disk full\"}}").statusCode()).isEqualTo(202);

    accept(task("never-" + run, "e5-" + run, Duration.ofSeconds(3)));

    Map<String, Completion> byTask = awaitExactlyOnePerTask(5);
    assertThat(byTask.get("normal-" + run).status()).isEqualTo(CompletionStatus.SUCCEEDED);
    assertThat(byTask.get("early-" + run).status()).isEqualTo(CompletionStatus.SUCCEEDED);
    assertThat(byTask.get("dup-" + run).status()).isEqualTo(CompletionStatus.SUCCEEDED);
    assertThat(byTask.get("failed-" + run).status()).isEqualTo(CompletionStatus.FAILED);
    assertThat(byTask.get("never-" + run).status()).isEqualTo(CompletionStatus.TIMED_OUT);
    for (var record : completions.records()) {
      assertThat(record.headers().lastHeader("ce_id").value())
          .isEqualTo((record.key() + ":completion").getBytes(StandardCharsets.UTF_8));
      assertThat(VALIDATOR.validate(EventType.COMPLETION, record.value())).isEmpty();
    }
  }

  @Test
  void forgedSignaturesAndWrongTokensAre401AndCompleteNothing() throws Exception {
    CallbacksService service = startService("b");
    String taskId = "victim-" + UUID.randomUUID().toString().substring(0, 8);
    accept(task(taskId, "v-" + taskId, Duration.ofSeconds(4)));
    byte[] body = ("{\"eventId\": \"v-" + taskId + "\"}").getBytes(StandardCharsets.UTF_8);

    HttpResponse<Buffer> forged = join(client.post(service.port(), "127.0.0.1", perTaskPath(taskId))
        .putHeader("Content-Type", "application/json")
        .putHeader("Elements-Webhook-Signature", Signatures.cloudElements("not-the-key", body))
        .sendBuffer(Buffer.buffer(body)));
    HttpResponse<Buffer> wrongToken = join(client.post(service.port(), "127.0.0.1",
            "/callbacks/documents/" + taskId + "/" + tokens.tokenFor("documents", "other-task"))
        .putHeader("Content-Type", "application/json")
        .putHeader("Elements-Webhook-Signature", Signatures.cloudElements(TestConfigs.CE_KEY, body))
        .sendBuffer(Buffer.buffer(body)));

    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(wrongToken.statusCode()).isEqualTo(401);
    Map<String, Completion> byTask = awaitExactlyOnePerTask(1);
    assertThat(byTask.get(taskId).status()).as("only the deadline ended it").isEqualTo(CompletionStatus.TIMED_OUT);
  }

  @Test
  void withTheBrokerDownTheEndpointAnswers503AndTheSendersRetryCompletes() throws Exception {
    Assumptions.assumeTrue(cluster.embeddedBroker().isPresent(), "needs the embedded broker to stop it");
    EmbeddedKafkaBroker broker = cluster.embeddedBroker().get();
    CallbacksService service = startService("c");
    String taskId = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    accept(task(taskId, "o-" + taskId, Duration.ofMinutes(10)));
    String body = "{\"eventId\": \"o-" + taskId + "\"}";
    completions().poll();

    broker.stop();
    try {
      HttpResponse<Buffer> during = webhook(service, taskId, body);
      assertThat(during.statusCode()).isEqualTo(503);
      assertThat(during.getHeader("Retry-After")).isEqualTo("7");
      await().atMost(Duration.ofSeconds(20)).until(() -> readiness(service) == 503);
    } finally {
      broker.start();
    }

    // The sender retries until it is acknowledged, as Cloud Elements does.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> webhook(service, taskId, body).statusCode() == 202);
    // Generous: after a broker restart the stream thread's consumer must refresh metadata (topic ids, fetch sessions)
    // before it fetches again, which takes long on a loaded 2-core machine.
    Map<String, Completion> byTask = awaitExactlyOnePerTask(1, Duration.ofSeconds(180));
    assertThat(byTask.get(taskId).status()).isEqualTo(CompletionStatus.SUCCEEDED);
  }

  @Test
  void anInstanceClosedMidBatchLosesNothingItAcknowledged() throws Exception {
    CallbacksService first = startService("d1");
    String run = UUID.randomUUID().toString().substring(0, 8);
    int count = 40;
    List<String> taskIds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String taskId = "batch-" + run + "-" + i;
      taskIds.add(taskId);
      accept(task(taskId, "b-" + taskId, Duration.ofMinutes(10)));
    }
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    List<Future<?>> sent = new ArrayList<>();
    for (String taskId : taskIds) {
      sent.add(post(first.port(), taskId, "{\"eventId\": \"b-" + taskId + "\"}")
          .onComplete(result -> answers.put(taskId, result.succeeded() ? result.result().statusCode() : -1)));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() >= count / 4);
    first.close();
    services.remove(first);
    await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() == count);
    Set<String> acknowledged = answers.entrySet().stream().filter(entry -> entry.getValue() == 202)
        .map(Map.Entry::getKey).collect(Collectors.toSet());
    assertThat(acknowledged).isNotEmpty();
    assertThat(answers.values()).allMatch(status -> status == 202 || status == 503 || status == -1);

    CallbacksService second = startService("d2");
    // Every acknowledged webhook completes its task without being sent again.
    await().atMost(Duration.ofSeconds(60)).until(() -> completions().poll().stream()
        .map(Completion::taskId).collect(Collectors.toSet()).containsAll(acknowledged));
    for (String taskId : taskIds) {
      if (!acknowledged.contains(taskId)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> webhook(second, taskId, "{\"eventId\": \"b-" + taskId + "\"}")
            .statusCode() == 202);
      }
    }
    Map<String, Completion> byTask = awaitExactlyOnePerTask(count);
    assertThat(byTask.values()).allMatch(c -> c.status() == CompletionStatus.SUCCEEDED);
  }

  private CallbacksService startService(String name) {
    CallbacksService service = new CallbacksService(config, stateRoot.resolve(name), vertx, Clock.systemUTC(),
        ServiceMeters.forTests(CallbacksService.NAME, config));
    services.add(service);
    service.start();
    return service;
  }

  private CompletionsReader completions() {
    if (completions == null) {
      completions = new CompletionsReader(cluster.consumerConfig(CompletionsReader.newGroup()),
          config.topics().completions());
    }
    return completions;
  }

  private Map<String, Completion> awaitExactlyOnePerTask(int tasks) {
    return awaitExactlyOnePerTask(tasks, Duration.ofSeconds(60));
  }

  /** Waits for {@code tasks} completions, then checks for a while that no second one follows. */
  private Map<String, Completion> awaitExactlyOnePerTask(int tasks, Duration atMost) {
    CompletionsReader reader = completions();
    await().atMost(atMost).until(() -> reader.poll().size() >= tasks);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> reader.poll().size() == tasks);
    List<Completion> all = reader.poll();
    Map<String, Completion> byTask = new HashMap<>();
    for (Completion completion : all) {
      assertThat(byTask.put(completion.taskId(), completion)).as("second completion of " + completion.taskId()).isNull();
    }
    return byTask;
  }

  private TaskAccepted task(String taskId, String eventId, Duration timeout) {
    Instant now = Instant.now();
    return new TaskAccepted(taskId, "documents", TaskMode.CALLBACK, now, now, now.plus(timeout), 202, null, eventId,
        Map.of("run", "it"));
  }

  private void accept(TaskAccepted task) throws Exception {
    producer.send(new ProducerRecord<>(config.topics().tasks(), task.taskId(), TASKS.serialize("", task)))
        .get(10, TimeUnit.SECONDS);
  }

  private String perTaskPath(String taskId) {
    return CallbackTokens.ROUTE_PREFIX + "documents/" + taskId + "/" + tokens.tokenFor("documents", taskId);
  }

  private Future<HttpResponse<Buffer>> post(int port, String taskId, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return client.post(port, "127.0.0.1", perTaskPath(taskId))
        .putHeader("Content-Type", "application/json")
        .putHeader("Elements-Webhook-Signature", Signatures.cloudElements(TestConfigs.CE_KEY, bytes))
        .sendBuffer(Buffer.buffer(bytes));
  }

  private HttpResponse<Buffer> webhook(CallbacksService service, String taskId, String body) throws Exception {
    return join(post(service.port(), taskId, body));
  }

  private int readiness(CallbacksService service) throws Exception {
    return join(client.get(service.port(), "127.0.0.1", "/health/ready").send()).statusCode();
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

}
