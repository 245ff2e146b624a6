package io.asyncbridge.poller;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.TopicProvisioner;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.StreamsService;
import io.asyncbridge.core.status.TaskStatusRegistry;
import io.asyncbridge.core.status.TaskStatusSource;
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
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller as a runnable service: checks the topics it relies on, then runs the poll topology (exactly_once_v2)
 * with an HTTP dispatcher that hands each answer back to the stream task that sent the poll.
 */
public final class PollerService extends StreamsService {

  private static final Logger LOG = LoggerFactory.getLogger(PollerService.class);
  public static final String NAME = "poller";

  private final Clock clock;
  private final UpstreamCredentials credentials;
  private final PollScheduleViews views = new PollScheduleViews();
  private final PollerTopology.Tuning tuning = PollerTopology.Tuning.defaults();
  private int taskPartitions;

  /** The poller of a process: its state under {@code <stateDir>/<clusterId>/<application.id>}, its meters in the process's registry. */
  public PollerService(ServiceContext context) {
    this(context.config(), context.stateDir(), context.vertx(), context.clock(), context.meters(NAME),
        context.status(), context.credentials());
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
    super(NAME, config, stateDir, vertx, meters, status);
    this.clock = clock;
    this.credentials = credentials;
  }

  @Override
  protected List<String> copartitionedTopics(TopicNames topics) {
    return List.of(topics.tasks(), topics.completions(), topics.progress());
  }

  @Override
  protected void clusterChecked(Admin admin, TopicProvisioner topics) {
    taskPartitions = topics.partitionCount(config().topics().tasks());
  }

  /**
   * The dispatcher hands each answer back to the stream task that sent the poll. At the stop Kafka Streams closes
   * first: it stops handing out polls; answers still in flight are dropped and their tasks polled again.
   */
  @Override
  protected Topology topology() {
    BridgeConfig config = config();
    HttpPollDispatcher dispatcher = new HttpPollDispatcher(config, vertx(), clock, meters(), credentials);
    closeOnStop("poll dispatcher", dispatcher::close);
    int total = taskPartitions;
    // Each processor registers its partition of the tasks topic: the rate limits follow what this instance owns.
    views.onOwnedPartitions(owned -> dispatcher.partitionsOwned(owned, total));
    // Cancel calls share each provider's lane with its polls: one pool, token cache, rate limit and Retry-After gate.
    HttpCancelCaller cancelCaller = new HttpCancelCaller(config, dispatcher, clock);
    return PollerTopology.build(config, dispatcher, clock, tuning, meters(), views, cancelCaller);
  }

  /**
   * The stream thread blocks in its consumer's poll for up to {@code poll.ms} when no task arrives, and the
   * punctuator that applies answers and starts due polls cannot run meanwhile: keep the two equal.
   */
  @Override
  protected Map<String, Object> streamsProperties(Path instanceStateDir) {
    Map<String, Object> props = super.streamsProperties(instanceStateDir);
    props.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, Long.toString(tuning.tick().toMillis()));
    return props;
  }

  @Override
  protected TaskStatusSource statusSource() {
    return new PollStatusSource(vertx(), this::runningStreams, views);
  }

  @Override
  protected void streamsStarted() {
    LOG.info("poller started: application {}, following {} -> {}", kafka().applicationId(NAME),
        config().topics().tasks(), config().topics().completions());
  }
}
