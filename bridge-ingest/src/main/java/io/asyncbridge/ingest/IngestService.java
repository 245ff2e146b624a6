package io.asyncbridge.ingest;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import io.asyncbridge.core.kafka.TopicProvisioner;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.core.service.BridgeService;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.StreamsLifecycle;
import io.asyncbridge.ingest.dispatch.HttpUpstreamDispatcher;
import io.asyncbridge.ingest.dispatch.UpstreamCallBuilder;
import io.asyncbridge.ingest.topology.IngestSettings;
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

  public static final String NAME = "ingest";

  private final ServiceContext context;
  private final IngestSettings settings;
  private Producer<String, byte[]> producer;
  private HttpUpstreamDispatcher dispatcher;
  private StreamsLifecycle streams;

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
    try (Admin admin = Admin.create(kafka.admin())) {
      TopicProvisioner topics = new TopicProvisioner(admin);
      if (config.topics().createMissing()) {
        topics.createMissing(config.topics());
      }
      topics.requireSamePartitionCount(List.of(config.topics().requests(), config.topics().dispatchResults()));
    }
    var json = EventJson.newMapper();
    producer = new KafkaProducer<>(kafka.durableProducer(kafka.applicationId(NAME) + "-results"));
    UpstreamCallBuilder calls = new UpstreamCallBuilder(json, config.callbacks().publicBaseUrl(),
        config.callbacks().tokenSecret().map(CallbackTokens::new));
    dispatcher = new HttpUpstreamDispatcher(config, context.vertx(), producer, calls, json, context.clock());
    streams = new StreamsLifecycle(NAME,
        IngestTopology.build(config, settings, dispatcher, RequestParser.create(), context.clock()),
        kafka.streams(NAME, context.stateDirOf(NAME), config.topics().replicationFactor()));
    streams.start(Duration.ofSeconds(60));
  }

  public boolean isRunning() {
    return streams != null && streams.isRunning();
  }

  @Override
  public void close() {
    if (streams != null) {
      streams.close();
    }
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
  }
}
