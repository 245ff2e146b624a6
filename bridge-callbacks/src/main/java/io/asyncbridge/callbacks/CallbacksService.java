package io.asyncbridge.callbacks;

import io.asyncbridge.callbacks.correlation.CallbacksTopology;
import io.asyncbridge.callbacks.correlation.CorrelationStreamsConfig;
import io.asyncbridge.callbacks.health.KafkaReadiness;
import io.asyncbridge.callbacks.http.CallbackProvider;
import io.asyncbridge.callbacks.http.HealthHandler;
import io.asyncbridge.callbacks.http.InFlightWebhooks;
import io.asyncbridge.callbacks.http.WebhookHandler;
import io.asyncbridge.callbacks.http.WebhookMeters;
import io.asyncbridge.callbacks.http.WebhookRoutes;
import io.asyncbridge.callbacks.http.WebhookServer;
import io.asyncbridge.callbacks.status.CallbacksStatusSource;
import io.asyncbridge.callbacks.webhook.KafkaWebhookSink;
import io.asyncbridge.callbacks.webhook.WebhookSink;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.CallbackSettings;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.http.ErrorResponder;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import io.asyncbridge.core.kafka.StreamsInstance;
import io.asyncbridge.core.kafka.TopicProvisioner;
import io.asyncbridge.core.observability.ServiceHealth;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.core.service.BridgeService;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.StreamsLifecycle;
import io.asyncbridge.core.status.TaskStatusRegistry;
import io.asyncbridge.schemas.topic.TopicNames;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callbacks service: the correlation topology, then the webhook endpoint in front of it. Closing stops taking
 * webhooks (503), waits for the acknowledgements it owes, then closes the producer and the topology: nothing that
 * was answered 202 is lost, because a 202 is only sent once Kafka has the webhook.
 */
public final class CallbacksService implements BridgeService {

  private static final Logger LOG = LoggerFactory.getLogger(CallbacksService.class);
  public static final String NAME = "callbacks";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READINESS_PERIOD = Duration.ofSeconds(2);

  private final BridgeConfig config;
  private final Path stateDir;
  private final Vertx vertx;
  private final Clock clock;
  private final InFlightWebhooks inFlight = new InFlightWebhooks();
  private final ServiceMeters meters;
  private volatile StreamsLifecycle streams;
  private TaskStatusRegistry status = new TaskStatusRegistry();
  private CallbacksStatusSource statusSource;
  private volatile KafkaWebhookSink sink;
  private volatile KafkaReadiness readiness;
  private WebhookServer server;
  private int port = -1;

  /** The callbacks service of a process: state under {@code <stateDir>/<clusterId>/<application.id>}, meters in the process's registry. */
  public CallbacksService(ServiceContext context) {
    this(context.config(), context.stateDir(), context.vertx(), context.clock(), context.meters(NAME));
    this.status = context.status();
  }

  /** A callbacks service whose meters nobody scrapes (tests, benchmarks). */
  public CallbacksService(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock) {
    this(config, stateDir, vertx, clock, ServiceMeters.detached(NAME, config));
  }

  public CallbacksService(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock, ServiceMeters meters) {
    this.config = config;
    this.stateDir = stateDir;
    this.vertx = vertx;
    this.clock = clock;
    this.meters = meters;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized void start() {
    KafkaClientProperties kafka = new KafkaClientProperties(config.kafka());
    TopicNames topics = config.topics();
    Admin admin = Admin.create(kafka.admin());
    readiness = new KafkaReadiness(admin, Duration.ofSeconds(5));
    TopicProvisioner provisioner = new TopicProvisioner(admin);
    if (topics.createMissing()) {
      provisioner.createMissing(topics);
    }
    provisioner.requireSamePartitionCount(List.of(topics.tasks(), topics.webhooks(), topics.completions()));
    StreamsInstance instance = StreamsInstance.resolve(stateDir, admin, kafka.applicationId(NAME),
        config.kafka().instanceId());

    streams = new StreamsLifecycle(NAME, CallbacksTopology.build(config, clock, meters),
        status.withApplicationServer(
            instance.applyTo(CorrelationStreamsConfig.properties(config.kafka(), NAME, instance.stateDir(),
                topics.replicationFactor()))),
        meters.registry());
    statusSource = new CallbacksStatusSource(vertx, () -> {
      StreamsLifecycle current = streams;
      return current == null ? null : current.streams();
    });
    status.register(statusSource);
    streams.start(START_TIMEOUT);

    sink = KafkaWebhookSink.create(config, meters.registry(), NAME);
    readiness.start(vertx, READINESS_PERIOD);
    CallbackSettings settings = config.callbacks();
    WebhookHandler handler = new WebhookHandler(config.providers().keySet(), callbackProviders(), tokens(settings),
        sink, clock, settings.ackTimeout(), inFlight);
    HealthHandler health = new HealthHandler(() -> readiness.getAsBoolean() && streams.streams().state().isRunningOrRebalancing());
    server = new WebhookServer(vertx, WebhookRoutes.create(vertx, handler, health,
        new ErrorResponder(WebhookRoutes.errorEndpoint(settings)), settings.maxBodyBytes(),
        settings.bodyReadTimeout(), new WebhookMeters(meters)),
        settings.host(), settings.port(), WebhookServer.idleTimeout(settings.ackTimeout(), settings.bodyReadTimeout()));
    try {
      port = server.start().toCompletionStage().toCompletableFuture()
          .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the webhook endpoint", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot listen for webhooks on " + settings.host() + ":" + settings.port()
          + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
    }
    LOG.info("callbacks: listening for webhooks on {}:{}", settings.host(), port);
  }

  /**
   * Ready when the correlation topology runs (or rebalances), Kafka answered a recent check, the webhook sink takes
   * webhooks and the endpoint listens.
   */
  @Override
  public ServiceHealth health() {
    StreamsLifecycle currentStreams = streams;
    KafkaWebhookSink currentSink = sink;
    KafkaReadiness currentReadiness = readiness;
    if (currentStreams == null || currentSink == null || currentReadiness == null) {
      return ServiceHealth.starting();
    }
    boolean reachable = currentReadiness.getAsBoolean();
    boolean accepting = currentSink.isAccepting();
    boolean listening = port() > 0;
    return currentStreams.health()
        .and("kafka", reachable, reachable ? "reachable" : "unreachable")
        .and("sink", accepting, accepting ? "accepting" : "full or closing")
        .and("webhooks", listening, listening ? "listening" : "not listening");
  }

  /** The port the endpoint listens on (the actual one when configured as 0); -1 before start. */
  public synchronized int port() {
    return port;
  }

  private Map<String, CallbackProvider> callbackProviders() {
    Map<String, CallbackProvider> providers = new HashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      CallbackProvider callback = CallbackProvider.of(provider);
      if (callback != null) {
        providers.put(provider.name(), callback);
      }
    }
    return providers;
  }

  private static CallbackTokens tokens(CallbackSettings settings) {
    if (settings.tokenSecrets().isEmpty()) {
      throw new IllegalStateException(
          "callbacks.tokenSecret is not set and cannot be derived: per-task callback URLs cannot be verified");
    }
    return new CallbackTokens(settings.tokenSecrets());
  }

  @Override
  public synchronized void close() {
    if (statusSource != null) {
      status.unregister(statusSource);
      statusSource = null;
    }
    inFlight.stopAccepting();
    try {
      if (!inFlight.awaitDrained(config.callbacks().ackTimeout().plusSeconds(1))) {
        LOG.warn("callbacks: {} webhooks still unanswered at shutdown; their senders will retry", inFlight.count());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly("webhook endpoint", () -> {
      if (server != null) {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    });
    closeQuietly("webhook producer", () -> {
      if (sink != null) {
        sink.close();
      }
    });
    closeQuietly("readiness check", () -> {
      if (readiness != null) {
        readiness.close();
      }
    });
    closeQuietly("correlation topology", () -> {
      if (streams != null) {
        streams.close();
      }
    });
    closeQuietly("tracing", meters::closeTracing);
    server = null;
    sink = null;
    readiness = null;
    streams = null;
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void closeQuietly(String what, Step step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("callbacks: closing the {} failed", what, e);
    }
  }
}
