package io.asyncbridge.ingest;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.TopicProvisioner;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.StreamsService;
import io.asyncbridge.core.status.TaskStatusSource;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.asyncbridge.ingest.dispatch.HttpUpstreamDispatcher;
import io.asyncbridge.ingest.dispatch.UpstreamCallBuilder;
import io.asyncbridge.ingest.status.IngestStatusSource;
import io.asyncbridge.ingest.topology.IngestMeters;
import io.asyncbridge.ingest.topology.IngestSettings;
import io.asyncbridge.ingest.topology.IngestTopology;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.request.RequestParser;
import io.asyncbridge.schemas.topic.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.Topology;

/**
 * bridge-ingest: consumes task requests, validates and deduplicates them, calls the upstream API without blocking,
 * and hands accepted tasks to the poll or callback path (or ends them: rejected, failed, timed out).
 */
public final class IngestService extends StreamsService {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IngestService.class);

  public static final String NAME = "ingest";

  private final IngestSettings settings;
  private final Clock clock;
  private final UpstreamCredentials credentials;
  private volatile HttpUpstreamDispatcher dispatcher;
  private int requestPartitions;
  private long shareTimer = -1;
  private volatile int ownedSeen = -1;

  public IngestService(ServiceContext context, IngestSettings settings) {
    super(NAME, context.config(), context.stateDir(), context.vertx(), context.meters(NAME), context.status());
    this.settings = settings;
    this.clock = context.clock();
    this.credentials = context.credentials();
  }

  public IngestService(ServiceContext context) {
    this(context, IngestSettings.defaults());
  }

  @Override
  protected List<String> copartitionedTopics(TopicNames topics) {
    return List.of(topics.requests(), topics.dispatchResults());
  }

  @Override
  protected void clusterChecked(Admin admin, TopicProvisioner topics) {
    requestPartitions = topics.partitionCount(config().topics().requests());
  }

  @Override
  protected Topology topology() {
    BridgeConfig config = config();
    var json = EventJson.newMapper();
    Producer<String, byte[]> producer = openProducer(kafka().durableProducer(kafka().applicationId(NAME) + "-results"));
    UpstreamCallBuilder calls = new UpstreamCallBuilder(json, config.callbacks().publicBaseUrl(),
        config.callbacks().tokenSecret().map(CallbackTokens::new));
    HttpUpstreamDispatcher created = new HttpUpstreamDispatcher(config, vertx(), producer, calls, json, clock, meters(),
        credentials);
    dispatcher = created;
    closeOnStop("upstream dispatcher", created::close);
    return IngestTopology.build(config, settings, created, RequestParser.create(), clock, new IngestMeters(meters()));
  }

  @Override
  protected TaskStatusSource statusSource() {
    return new IngestStatusSource(vertx(), config(), this::runningStreams);
  }

  @Override
  protected void streamsStarted() {
    BridgeConfig config = config();
    if (config.providers().values().stream().anyMatch(provider -> provider.dispatch().rateLimit().isPresent())) {
      // The share of dispatch.rateLimit follows the requests partitions this instance owns; a rebalance shows here
      // within a second.
      followShare(config.topics().requests(), requestPartitions);
      int total = requestPartitions;
      shareTimer = vertx().setPeriodic(1000, id -> followShare(config.topics().requests(), total));
    }
  }

  private void followShare(String topic, int total) {
    var current = lifecycle();
    HttpUpstreamDispatcher limited = dispatcher;
    if (current == null || limited == null) {
      return;
    }
    int owned = current.ownedPartitions(topic);
    if (owned >= 0 && owned != ownedSeen) {
      ownedSeen = owned;
      limited.partitionsOwned(owned, total);
    }
  }

  /**
   * Stops without leaving doubt behind: no new calls, calls in flight finish and their answers reach Kafka, intents
   * that were never sent become pending again; then Kafka Streams commits and closes, then the dispatcher and the
   * producer. Only a crash leaves a call whose outcome is unknown (and then the provider's policy decides).
   */
  @Override
  protected void stopping() {
    if (shareTimer >= 0) {
      vertx().cancelTimer(shareTimer);
      shareTimer = -1;
    }
    HttpUpstreamDispatcher current = dispatcher;
    if (current != null) {
      current.stopAccepting();
      Duration drain = config().providers().values().stream()
          .map(provider -> provider.dispatch().requestTimeout()).max(Duration::compareTo).orElse(Duration.ofSeconds(30));
      if (!current.awaitIdle(drain.plusSeconds(5))) {
        LOG.warn("ingest: calls still in flight after {} s; their tasks follow the unknown-outcome policy", drain.toSeconds());
      }
      pauseForProcessors();
      dispatcher = null;
    }
  }

  /**
   * The processors notice the stop on their next tick and mark unsent intents pending; give them two ticks and a
   * commit. There is no signal to await across stream threads, so this one bounded pause is deliberate.
   */
  private void pauseForProcessors() {
    try {
      Thread.sleep(settings.tick().multipliedBy(3).plusMillis(200).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
