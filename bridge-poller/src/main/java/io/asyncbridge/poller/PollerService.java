package io.asyncbridge.poller;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import io.asyncbridge.core.kafka.StreamsInstance;
import io.asyncbridge.core.kafka.TopicProvisioner;
import io.asyncbridge.core.observability.ServiceHealth;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.service.BridgeService;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.StreamsLifecycle;
import io.asyncbridge.core.status.TaskStatusRegistry;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.asyncbridge.poller.http.HttpCancelCaller;
import io.asyncbridge.poller.http.HttpPollDispatcher;
import io.asyncbridge.poller.status.PollScheduleViews;
import io.asyncbridge.poller.status.PollStatusSource;
import io.asyncbridge.poller.topology.PollerTopology;
import io.asyncbridge.schemas.topic.TopicNames;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller as a runnable service: checks the topics it relies on, then runs the poll topology (exactly_once_v2)
 * with an HTTP dispatcher that hands each answer back to the stream task that sent the poll.
 */
public final class PollerService implements BridgeService {

  private static final Logger LOG = LoggerFactory.getLogger(PollerService.class);
  public static final String NAME = "poller";

  private final BridgeConfig config;
  private final Path stateDir;
  private final Vertx vertx;
  private final Clock clock;
  private final KafkaClientProperties clients;
  private final ServiceMeters meters;
  private final TaskStatusRegistry status;
  private final UpstreamCredentials credentials;
  private final PollScheduleViews views = new PollScheduleViews();
  private PollStatusSource statusSource;
  private HttpPollDispatcher dispatcher;
  private HttpCancelCaller cancelCaller;
  private volatile StreamsLifecycle streams;

  /** The poller of a process: its state under {@code <stateDir>/<clusterId>/<application.id>}, its meters in the process's registry. */
  public PollerService(ServiceContext context) {
    this(context.config(), context.stateDir(), context.vertx(), context.clock(), context.meters(NAME),
        context.status(), context.credentials());
  }

  /** A poller whose meters nobody scrapes (tests, benchmarks). */
  public PollerService(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock) {
    this(config, stateDir, vertx, clock, ServiceMeters.detached(NAME, config));
  }

  public PollerService(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock, ServiceMeters meters) {
    this(config, stateDir, vertx, clock, meters, new TaskStatusRegistry());
  }

  /** @param status where the status API finds this poller (and the address it advertises) */
  public PollerService(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock, ServiceMeters meters,
      TaskStatusRegistry status) {
    this(config, stateDir, vertx, clock, meters, status, new UpstreamCredentials());
  }

  /** @param credentials where a configuration reload finds the poller's upstream credentials */
  public PollerService(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock, ServiceMeters meters,
      TaskStatusRegistry status, UpstreamCredentials credentials) {
    this.status = status;
    this.credentials = credentials;
    this.config = config;
    this.stateDir = stateDir;
    this.vertx = vertx;
    this.clock = clock;
    this.clients = new KafkaClientProperties(config.kafka());
    this.meters = meters;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized void start() {
    if (streams != null) {
      throw new IllegalStateException("the poller is already started");
    }
    TopicNames topics = config.topics();
    StreamsInstance instance;
    int taskPartitions;
    try (Admin admin = Admin.create(clients.admin())) {
      TopicProvisioner provisioner = new TopicProvisioner(admin);
      if (topics.createMissing()) {
        provisioner.createMissing(topics);
      }
      // Fails early, naming the topic, when one is missing or was created by hand with another partition count.
      provisioner.requireSamePartitionCount(List.of(topics.tasks(), topics.completions(), topics.progress()));
      instance = StreamsInstance.resolve(stateDir, admin, clients.applicationId(NAME), config.kafka().instanceId());
      taskPartitions = provisioner.partitionCount(topics.tasks());
    }
    dispatcher = new HttpPollDispatcher(config, vertx, clock, meters, credentials);
    HttpPollDispatcher limited = dispatcher;
    // Each processor registers its partition of the tasks topic: the rate limits follow what this instance owns.
    views.onOwnedPartitions(owned -> limited.partitionsOwned(owned, taskPartitions));
    cancelCaller = new HttpCancelCaller(config, vertx, clock, meters, credentials);
    PollerTopology.Tuning tuning = PollerTopology.Tuning.defaults();
    try {
      streams = new StreamsLifecycle(NAME, PollerTopology.build(config, dispatcher, clock, tuning, meters, views,
          cancelCaller),
          status.withApplicationServer(streamsProperties(tuning, instance)), meters.registry());
      statusSource = new PollStatusSource(vertx, this::runningStreams, views);
      status.register(statusSource);
      streams.start(Duration.ofSeconds(60));
    } catch (RuntimeException failure) {
      dispatcher.close();
      dispatcher = null;
      cancelCaller.close();
      cancelCaller = null;
      streams = null;
      throw failure;
    }
    LOG.info("poller started: application {}, following {} -> {}", clients.applicationId(NAME), topics.tasks(),
        topics.completions());
  }

  /**
   * The stream thread blocks in its consumer's poll for up to {@code poll.ms} when no task arrives, and the
   * punctuator that applies answers and starts due polls cannot run meanwhile: keep the two equal.
   */
  private Map<String, Object> streamsProperties(PollerTopology.Tuning tuning, StreamsInstance instance) {
    Map<String, Object> props =
        instance.applyTo(clients.streams(NAME, instance.stateDir(), config.topics().replicationFactor()));
    props.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, Long.toString(tuning.tick().toMillis()));
    return props;
  }

  @Override
  public ServiceHealth health() {
    StreamsLifecycle current = streams;
    return current == null ? ServiceHealth.starting() : current.health();
  }

  private org.apache.kafka.streams.KafkaStreams runningStreams() {
    StreamsLifecycle current = streams;
    return current == null ? null : current.streams();
  }

  /** Whether the Streams application runs (for health checks and tests). */
  public synchronized boolean isRunning() {
    return streams != null && streams.isRunning();
  }

  @Override
  public synchronized void close() {
    if (statusSource != null) {
      status.unregister(statusSource);
      statusSource = null;
    }
    // Streams first: it stops handing out polls; answers still in flight are dropped and their tasks polled again.
    if (streams != null) {
      streams.close();
      streams = null;
    }
    if (cancelCaller != null) {
      cancelCaller.close();
      cancelCaller = null;
    }
    if (dispatcher != null) {
      dispatcher.close();
      dispatcher = null;
    }
    meters.closeTracing();
  }
}
