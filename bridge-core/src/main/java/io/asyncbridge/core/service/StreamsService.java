package io.asyncbridge.core.service;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import io.asyncbridge.core.kafka.StreamsInstance;
import io.asyncbridge.core.kafka.TopicProvisioner;
import io.asyncbridge.core.observability.KafkaClientMeters;
import io.asyncbridge.core.observability.ServiceHealth;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.status.TaskStatusRegistry;
import io.asyncbridge.core.status.TaskStatusSource;
import io.asyncbridge.schemas.topic.TopicNames;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start and stop every service built on one Kafka Streams application follows, so that each service states only
 * what differs (its topics, components, topology, status source, and what it runs beside the topology).
 *
 * <p>Start: create the missing topics (when {@code topics.createMissing}), check that the topics a task's events
 * follow have the same partition count, resolve the instance's state directory and group instance id, let the
 * service read what else it needs from the cluster, build its components and topology, register its status source,
 * start Kafka Streams (waiting up to 60 s for RUNNING), then whatever runs beside it.
 *
 * <p>Stop: unregister the status source, let the service stop taking work ({@link #stopping()}), then close what
 * start opened in reverse order (what started after Kafka Streams first, Kafka Streams, then the components its
 * topology uses), and finally send the spans still batched. Each close is bounded by the thing closed; a failure is
 * logged and the rest still closes. A start that fails closes what it had opened and rethrows.
 */
public abstract class StreamsService implements BridgeService {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PRODUCER_CLOSE = Duration.ofSeconds(10);

  /** Something to close at the stop. */
  @FunctionalInterface
  protected interface Closer {
    void close() throws Exception;
  }

  private record Step(String what, Closer closer) {
  }

  private final String name;
  private final BridgeConfig config;
  private final Path stateDir;
  private final Vertx vertx;
  private final ServiceMeters meters;
  private final TaskStatusRegistry status;
  private final KafkaClientProperties kafka;
  private final Deque<Step> toClose = new ArrayDeque<>();
  private TaskStatusSource statusSource;
  private volatile StreamsLifecycle streams;

  /**
   * @param stateDir the process's state directory; the application's state goes under
   *     {@code <stateDir>/<clusterId>/<application.id>}
   * @param status where the status API finds this service (and the address it advertises)
   */
  protected StreamsService(String name, BridgeConfig config, Path stateDir, Vertx vertx, ServiceMeters meters,
      TaskStatusRegistry status) {
    this.name = name;
    this.config = config;
    this.stateDir = stateDir;
    this.vertx = vertx;
    this.meters = meters;
    this.status = status;
    this.kafka = new KafkaClientProperties(config.kafka());
  }

  @Override
  public final String name() {
    return name;
  }

  /** The topics keyed by taskId that this service reads or writes by partition number: they must match in count. */
  protected abstract List<String> copartitionedTopics(TopicNames topics);

  /**
   * Reads what else the service needs from the cluster once its topics are checked (partition counts, say). The
   * admin client is closed after this, unless {@link #keepsAdmin()}.
   */
  protected void clusterChecked(Admin admin, TopicProvisioner topics) {
  }

  /** Whether the service keeps the admin client given to {@link #clusterChecked} (it then closes it itself). */
  protected boolean keepsAdmin() {
    return false;
  }

  /**
   * Builds the components the topology uses (registering each with {@link #closeOnStop}) and returns the topology.
   */
  protected abstract Topology topology();

  /**
   * The Kafka Streams properties of the application, for the instance's state directory; the group instance id and
   * the status API's {@code application.server} are added to them.
   */
  protected Map<String, Object> streamsProperties(Path instanceStateDir) {
    return kafka.streams(name, instanceStateDir, config.topics().replicationFactor());
  }

  /** Where the status API reads this service's part of a task; it may use {@link #runningStreams()}. */
  protected abstract TaskStatusSource statusSource();

  /** Starts what runs beside the topology, once Kafka Streams started. */
  protected void streamsStarted() {
  }

  /** Stops taking new work and lets work in flight finish, before anything closes. */
  protected void stopping() {
  }

  @Override
  public final synchronized void start() {
    if (streams != null) {
      throw new IllegalStateException("the " + name + " service is already started");
    }
    try {
      StreamsInstance instance = checkCluster();
      StreamsLifecycle lifecycle = new StreamsLifecycle(name, topology(),
          status.withApplicationServer(instance.applyTo(streamsProperties(instance.stateDir()))), meters.registry());
      streams = lifecycle;
      closeOnStop("Kafka Streams application", lifecycle::close);
      statusSource = statusSource();
      status.register(statusSource);
      lifecycle.start(START_TIMEOUT);
      streamsStarted();
    } catch (RuntimeException failure) {
      stop();
      throw failure;
    }
  }

  private StreamsInstance checkCluster() {
    TopicNames topics = config.topics();
    Admin admin = Admin.create(kafka.admin());
    boolean kept = false;
    try {
      TopicProvisioner provisioner = new TopicProvisioner(admin);
      if (topics.createMissing()) {
        provisioner.createMissing(topics);
      }
      // Fails early, naming the topic, when one is missing or was created by hand with another partition count.
      provisioner.requireSamePartitionCount(copartitionedTopics(topics));
      StreamsInstance instance = StreamsInstance.resolve(stateDir, admin, kafka.applicationId(name),
          config.kafka().instanceId());
      clusterChecked(admin, provisioner);
      kept = keepsAdmin();
      return instance;
    } finally {
      if (!kept) {
        admin.close();
      }
    }
  }

  /** Closes {@code closer} at the stop: the last registered closes first. */
  protected final void closeOnStop(String what, Closer closer) {
    toClose.push(new Step(what, closer));
  }

  /**
   * A producer whose client metrics go to the service's registry ({@code service=<name>}); closed at the stop (after
   * whatever was registered later), within 10 s.
   */
  protected final Producer<String, byte[]> openProducer(Map<String, Object> properties) {
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties);
    closeOnStop("producer meters", KafkaClientMeters.bind(meters.registry(), producer, name)::close);
    closeOnStop("producer", () -> producer.close(PRODUCER_CLOSE));
    return producer;
  }

  @Override
  public final synchronized void close() {
    stop();
  }

  private void stop() {
    if (statusSource != null) {
      status.unregister(statusSource);
      statusSource = null;
    }
    stopping();
    while (!toClose.isEmpty()) {
      Step step = toClose.pop();
      closeQuietly(step.what(), step.closer());
    }
    closeQuietly("tracing", meters::closeTracing);
    streams = null;
  }

  private void closeQuietly(String what, Closer closer) {
    try {
      closer.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("{}: closing the {} failed", name, what, e);
    }
  }

  /** Ready while Kafka Streams runs or rebalances; starting before it was created. */
  @Override
  public ServiceHealth health() {
    StreamsLifecycle current = streams;
    return current == null ? ServiceHealth.starting() : current.health();
  }

  /** Whether the Kafka Streams application runs (for health checks and tests). */
  public boolean isRunning() {
    StreamsLifecycle current = streams;
    return current != null && current.isRunning();
  }

  /** The Kafka Streams application while started, else null. */
  protected final StreamsLifecycle lifecycle() {
    return streams;
  }

  /** The running Kafka Streams application, or null before the start and after the stop. */
  protected final KafkaStreams runningStreams() {
    StreamsLifecycle current = streams;
    return current == null ? null : current.streams();
  }

  protected final BridgeConfig config() {
    return config;
  }

  protected final Vertx vertx() {
    return vertx;
  }

  protected final ServiceMeters meters() {
    return meters;
  }

  protected final KafkaClientProperties kafka() {
    return kafka;
  }
}
