package io.asyncbridge.ingest;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import io.asyncbridge.core.kafka.StreamsInstance;
import io.asyncbridge.core.kafka.TopicProvisioner;
import io.asyncbridge.core.observability.KafkaClientMeters;
import io.asyncbridge.core.observability.ServiceHealth;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.core.service.BridgeService;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.StreamsLifecycle;
import io.asyncbridge.ingest.dispatch.HttpUpstreamDispatcher;
import io.asyncbridge.ingest.dispatch.UpstreamCallBuilder;
import io.asyncbridge.ingest.topology.IngestMeters;
import io.asyncbridge.ingest.topology.IngestSettings;
import io.asyncbridge.ingest.status.IngestStatusSource;
import io.asyncbridge.ingest.topology.IngestTopology;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.request.RequestParser;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * bridge-ingest: consumes task requests, validates and deduplicates them, calls the upstream API without blocking,
 * and hands accepted tasks to the poll or callback path (or ends them: rejected, failed, timed out).
 */
public final class IngestService implements BridgeService {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IngestService.class);

  public static final String NAME = "ingest";

  private final ServiceContext context;
  private final IngestSettings settings;
  private Producer<String, byte[]> producer;
  private AutoCloseable producerMeters;
  private HttpUpstreamDispatcher dispatcher;
  private volatile StreamsLifecycle streams;
  private IngestStatusSource statusSource;
  private ServiceMeters meters;
  private long shareTimer = -1;
  private volatile int ownedSeen = -1;

  public IngestService(ServiceContext context, IngestSettings settings) {
    this.context = context;
    this.settings = settings;
  }

  public IngestService(ServiceContext context) {
    this(context, IngestSettings.defaults());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    BridgeConfig config = context.config();
    KafkaClientProperties kafka = new KafkaClientProperties(config.kafka());
    StreamsInstance instance;
    int requestPartitions;
    try (Admin admin = Admin.create(kafka.admin())) {
      TopicProvisioner topics = new TopicProvisioner(admin);
      if (config.topics().createMissing()) {
        topics.createMissing(config.topics());
      }
      topics.requireSamePartitionCount(List.of(config.topics().requests(), config.topics().dispatchResults()));
      instance = StreamsInstance.resolve(context.stateDir(), admin, kafka.applicationId(NAME),
          config.kafka().instanceId());
      requestPartitions = topics.partitionCount(config.topics().requests());
    }
    var json = EventJson.newMapper();
    meters = context.meters(NAME);
    producer = new KafkaProducer<>(kafka.durableProducer(kafka.applicationId(NAME) + "-results"));
    producerMeters = KafkaClientMeters.bind(meters.registry(), producer, NAME);
    UpstreamCallBuilder calls = new UpstreamCallBuilder(json, config.callbacks().publicBaseUrl(),
        config.callbacks().tokenSecret().map(CallbackTokens::new));
    dispatcher = new HttpUpstreamDispatcher(config, context.vertx(), producer, calls, json, context.clock(), meters,
        context.credentials());
    streams = new StreamsLifecycle(NAME,
        IngestTopology.build(config, settings, dispatcher, RequestParser.create(), context.clock(),
            new IngestMeters(meters)),
        context.status().withApplicationServer(
            instance.applyTo(kafka.streams(NAME, instance.stateDir(), config.topics().replicationFactor()))),
        meters.registry());
    statusSource = new IngestStatusSource(context.vertx(), config, this::runningStreams);
    context.status().register(statusSource);
    streams.start(Duration.ofSeconds(60));
    if (config.providers().values().stream().anyMatch(provider -> provider.dispatch().rateLimit().isPresent())) {
      // The share of dispatch.rateLimit follows the requests partitions this instance owns; a rebalance shows here
      // within a second.
      followShare(config.topics().requests(), requestPartitions);
      shareTimer = context.vertx().setPeriodic(1000, id -> followShare(config.topics().requests(), requestPartitions));
    }
  }

  private void followShare(String topic, int total) {
    StreamsLifecycle current = streams;
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

  private org.apache.kafka.streams.KafkaStreams runningStreams() {
    StreamsLifecycle current = streams;
    return current == null ? null : current.streams();
  }

  public boolean isRunning() {
    return streams != null && streams.isRunning();
  }

  @Override
  public ServiceHealth health() {
    StreamsLifecycle current = streams;
    return current == null ? ServiceHealth.starting() : current.health();
  }

  /**
   * Stops without leaving doubt behind: no new calls, calls in flight finish and their answers reach Kafka, intents
   * that were never sent become pending again, then Kafka Streams commits and closes. Only a crash leaves a call
   * whose outcome is unknown (and then the provider's policy decides).
   */
  @Override
  public void close() {
    if (shareTimer >= 0) {
      context.vertx().cancelTimer(shareTimer);
      shareTimer = -1;
    }
    if (statusSource != null) {
      context.status().unregister(statusSource);
    }
    if (dispatcher != null) {
      dispatcher.stopAccepting();
      Duration drain = context.config().providers().values().stream()
          .map(provider -> provider.dispatch().requestTimeout()).max(Duration::compareTo).orElse(Duration.ofSeconds(30));
      if (!dispatcher.awaitIdle(drain.plusSeconds(5))) {
        LOG.warn("ingest: calls still in flight after {} s; their tasks follow the unknown-outcome policy", drain.toSeconds());
      }
      pauseForProcessors();
    }
    if (streams != null) {
      streams.close();
    }
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (producerMeters != null) {
      try {
        producerMeters.close();
      } catch (Exception e) {
        LOG.warn("ingest: producer meters did not close: {}", e.toString());
      }
    }
    if (meters != null) {
      meters.closeTracing();
    }
  }
}
