package io.asyncbridge.callbacks;

import io.asyncbridge.callbacks.correlation.CallbacksTopology;
import io.asyncbridge.callbacks.correlation.CorrelationStreamsConfig;
import io.asyncbridge.callbacks.health.KafkaReadiness;
import io.asyncbridge.callbacks.http.CallbackProvider;
import io.asyncbridge.callbacks.http.HealthHandler;
import io.asyncbridge.callbacks.http.HttpCancelCalls;
import io.asyncbridge.callbacks.http.InFlightWebhooks;
import io.asyncbridge.callbacks.http.WebhookHandler;
import io.asyncbridge.callbacks.http.WebhookMeters;
import io.asyncbridge.callbacks.http.WebhookRoutes;
import io.asyncbridge.callbacks.http.WebhookServer;
import io.asyncbridge.callbacks.status.CallbacksStatusSource;
import io.asyncbridge.callbacks.webhook.KafkaWebhookSink;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.CallbackSettings;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.http.ErrorResponder;
import io.asyncbridge.core.kafka.TopicProvisioner;
import io.asyncbridge.core.observability.ServiceHealth;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.StreamsService;
import io.asyncbridge.core.status.TaskStatusRegistry;
import io.asyncbridge.core.status.TaskStatusSource;
import io.asyncbridge.core.upstream.UpstreamCredentials;
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
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callbacks service: the correlation topology, then the webhook endpoint in front of it. Closing stops taking
 * webhooks (503), waits for the acknowledgements it owes, then closes the producer and the topology: nothing that
 * was answered 202 is lost, because a 202 is only sent once Kafka has the webhook.
 */
public final class CallbacksService extends StreamsService {

  private static final Logger LOG = LoggerFactory.getLogger(CallbacksService.class);
  public static final String NAME = "callbacks";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READINESS_PERIOD = Duration.ofSeconds(2);

  private final Clock clock;
  private final InFlightWebhooks inFlight = new InFlightWebhooks();
  private volatile KafkaWebhookSink sink;
  private volatile KafkaReadiness readiness;
  private final UpstreamCredentials credentials;
  private int webhookPartitions;
  private int port = -1;

  /** The callbacks service of a process: state under {@code <stateDir>/<clusterId>/<application.id>}, meters in the process's registry. */
  public CallbacksService(ServiceContext context) {
    this(context.config(), context.stateDir(), context.vertx(), context.clock(), context.meters(NAME),
        context.status(), context.credentials());
  }

  public CallbacksService(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock, ServiceMeters meters) {
    this(config, stateDir, vertx, clock, meters, new TaskStatusRegistry(), new UpstreamCredentials());
  }

  private CallbacksService(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock, ServiceMeters meters,
      TaskStatusRegistry status, UpstreamCredentials credentials) {
    super(NAME, config, stateDir, vertx, meters, status);
    this.clock = clock;
    this.credentials = credentials;
  }

  @Override
  protected List<String> copartitionedTopics(TopicNames topics) {
    return List.of(topics.tasks(), topics.webhooks(), topics.completions());
  }

  /** The readiness check keeps asking the cluster with the admin client that checked the topics. */
  @Override
  protected void clusterChecked(Admin admin, TopicProvisioner topics) {
    readiness = new KafkaReadiness(admin, Duration.ofSeconds(5));
    webhookPartitions = topics.partitionCount(config().topics().webhooks());
  }

  @Override
  protected boolean keepsAdmin() {
    return true;
  }

  @Override
  protected Topology topology() {
    // The providers' cancel calls (callback mode); closed after the topology that makes them.
    HttpCancelCalls cancelCalls = new HttpCancelCalls(config(), vertx(), clock, meters(), credentials,
        webhookPartitions);
    closeOnStop("cancel calls", cancelCalls::close);
    return CallbacksTopology.build(config(), clock, meters(), cancelCalls);
  }

  @Override
  protected Map<String, Object> streamsProperties(Path instanceStateDir) {
    return CorrelationStreamsConfig.properties(config().kafka(), NAME, instanceStateDir,
        config().topics().replicationFactor());
  }

  @Override
  protected TaskStatusSource statusSource() {
    return new CallbacksStatusSource(vertx(), this::runningStreams);
  }

  /**
   * The webhook endpoint, in front of the running topology. At the stop it closes first, then the webhook producer,
   * the readiness check, and the topology.
   */
  @Override
  protected void streamsStarted() {
    BridgeConfig config = config();
    KafkaReadiness checks = readiness;
    sink = KafkaWebhookSink.create(config, meters().registry(), NAME);
    checks.start(vertx(), READINESS_PERIOD);
    closeOnStop("readiness check", checks::close);
    KafkaWebhookSink created = sink;
    closeOnStop("webhook producer", created::close);
    CallbackSettings settings = config.callbacks();
    WebhookHandler handler = new WebhookHandler(config.providers().keySet(), callbackProviders(), tokens(settings),
        created, clock, settings.ackTimeout(), inFlight);
    HealthHandler health = new HealthHandler(
        () -> checks.getAsBoolean() && lifecycle().streams().state().isRunningOrRebalancing());
    WebhookServer server = new WebhookServer(vertx(), WebhookRoutes.create(vertx(), handler, health,
        new ErrorResponder(WebhookRoutes.errorEndpoint(settings)), settings.maxBodyBytes(),
        settings.bodyReadTimeout(), new WebhookMeters(meters())),
        settings.host(), settings.port(), WebhookServer.idleTimeout(settings.ackTimeout(), settings.bodyReadTimeout()));
    closeOnStop("webhook endpoint",
        () -> server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    int listening;
    try {
      listening = server.start().toCompletionStage().toCompletableFuture()
          .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the webhook endpoint", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot listen for webhooks on " + settings.host() + ":" + settings.port()
          + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
    }
    synchronized (this) {
      port = listening;
    }
    LOG.info("callbacks: listening for webhooks on {}:{}", settings.host(), listening);
  }

  /**
   * Ready when the correlation topology runs (or rebalances), Kafka answered a recent check, the webhook sink takes
   * webhooks and the endpoint listens.
   */
  @Override
  public ServiceHealth health() {
    KafkaWebhookSink currentSink = sink;
    KafkaReadiness currentReadiness = readiness;
    if (lifecycle() == null || currentSink == null || currentReadiness == null) {
      return ServiceHealth.starting();
    }
    ServiceHealth streams = super.health();
    boolean reachable = currentReadiness.getAsBoolean();
    boolean accepting = currentSink.isAccepting();
    boolean listening = port() > 0;
    return streams
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
    for (ProviderConfig provider : config().providers().values()) {
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

  /**
   * Stops taking webhooks (503) and waits for the acknowledgements owed: nothing that was answered 202 is lost,
   * because a 202 is only sent once Kafka has the webhook.
   */
  @Override
  protected void stopping() {
    inFlight.stopAccepting();
    try {
      if (!inFlight.awaitDrained(config().callbacks().ackTimeout().plusSeconds(1))) {
        LOG.warn("callbacks: {} webhooks still unanswered at shutdown; their senders will retry", inFlight.count());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
