package io.asyncbridge.core.config;

import static io.asyncbridge.core.config.ConfigOption.bool;
import static io.asyncbridge.core.config.ConfigOption.duration;
import static io.asyncbridge.core.config.ConfigOption.httpUrl;
import static io.asyncbridge.core.config.ConfigOption.integer;
import static io.asyncbridge.core.config.ConfigOption.optionalString;
import static io.asyncbridge.core.config.ConfigOption.properties;
import static io.asyncbridge.core.config.ConfigOption.retired;
import static io.asyncbridge.core.config.ConfigOption.secret;
import static io.asyncbridge.core.config.ConfigOption.secretList;
import static io.asyncbridge.core.config.ConfigOption.string;
import static io.asyncbridge.core.config.ConfigOption.stringList;

import io.asyncbridge.schemas.topic.TopicNames;
import java.time.Duration;
import java.util.List;

/** The service-level options: {@code kafka}, {@code topics}, {@code callbacks}, {@code management}, {@code observability}. */
public final class ServiceOptions {

  public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
      string("kafka.bootstrapServers", "localhost:9092", "the Kafka cluster");
  public static final ConfigOption<String> KAFKA_APPLICATION_PREFIX = string("kafka.applicationPrefix", "bridge",
      "prefix of consumer groups and Streams application ids");
  public static final ConfigOption<java.util.Map<String, String>> KAFKA_PROPERTIES =
      properties("kafka.properties", "Kafka client properties of every client");
  public static final ConfigOption<java.util.Map<String, String>> KAFKA_PRODUCER =
      properties("kafka.producer", "Kafka producer properties");
  public static final ConfigOption<java.util.Map<String, String>> KAFKA_CONSUMER =
      properties("kafka.consumer", "Kafka consumer properties");
  public static final ConfigOption<java.util.Map<String, String>> KAFKA_STREAMS =
      properties("kafka.streams", "Kafka Streams properties");
  public static final ConfigOption<String> KAFKA_INSTANCE_ID = optionalString("kafka.instanceId",
      "this process's static member id (group.instance.id); made on first start when absent");

  public static final ConfigOption<String> TOPICS_REQUESTS =
      string("topics.requests", TopicNames.defaults().requests(), "the public requests topic");
  public static final ConfigOption<String> TOPICS_COMPLETIONS =
      string("topics.completions", TopicNames.defaults().completions(), "the public completions topic");
  public static final ConfigOption<String> TOPICS_PROGRESS =
      string("topics.progress", TopicNames.defaults().progress(), "the public progress topic");
  public static final ConfigOption<String> TOPICS_DEAD_LETTER =
      string("topics.deadLetter", TopicNames.defaults().deadLetter(), "the requests' dead-letter topic");
  public static final ConfigOption<String> TOPICS_TASKS =
      string("topics.tasks", TopicNames.defaults().tasks(), "internal: tasks handed from ingest to the other services");
  public static final ConfigOption<String> TOPICS_DISPATCH_RESULTS = string("topics.dispatchResults",
      TopicNames.defaults().dispatchResults(), "internal: results of the starting calls");
  public static final ConfigOption<String> TOPICS_WEBHOOKS =
      string("topics.webhooks", TopicNames.defaults().webhooks(), "internal: webhooks received");
  public static final ConfigOption<Integer> TOPICS_PARTITIONS = integer("topics.partitions",
      TopicNames.defaults().partitions(), 1, 10_000, "partitions of a topic a service creates");
  public static final ConfigOption<Integer> TOPICS_REPLICATION_FACTOR = integer("topics.replicationFactor",
      TopicNames.defaults().replicationFactor(), -1, Short.MAX_VALUE,
      "replication factor of a topic a service creates (-1: the broker's default)");
  public static final ConfigOption<Boolean> TOPICS_CREATE_MISSING = bool("topics.createMissing",
      TopicNames.defaults().createMissing(), "whether a service creates a missing topic");
  public static final ConfigOption<String> TOPICS_POLL_OBSERVATIONS = retired("topics.pollObservations",
      "no longer used: poll answers no longer pass through Kafka");

  public static final ConfigOption<String> CALLBACKS_HOST = string("callbacks.host", "0.0.0.0", "the webhook listener's host");
  public static final ConfigOption<Integer> CALLBACKS_PORT =
      integer("callbacks.port", 8080, 0, 65_535, "the webhook listener's port");
  public static final ConfigOption<java.net.URI> CALLBACKS_PUBLIC_BASE_URL = httpUrl("callbacks.publicBaseUrl",
      "what upstreams are told to call back; required with a callback provider");
  public static final ConfigOption<List<Secret>> CALLBACKS_TOKEN_SECRET = secretList("callbacks.tokenSecret",
      "key of the per-task callback tokens (16+ characters); a list rotates it");
  // The body becomes a Kafka record and then a completion's result: stay well below the 1 MiB record limit.
  public static final ConfigOption<Integer> CALLBACKS_MAX_BODY_BYTES = integer("callbacks.maxBodyBytes", 512 * 1024,
      1024, 900 * 1024, "larger webhooks get 413");
  public static final ConfigOption<Duration> CALLBACKS_ACK_TIMEOUT = duration("callbacks.ackTimeout",
      Duration.ofSeconds(10), Duration.ofMillis(100), "after it without Kafka's acknowledgement a webhook gets 503");
  public static final ConfigOption<Duration> CALLBACKS_RETRY_AFTER = duration("callbacks.retryAfter",
      Duration.ofSeconds(5), Duration.ofSeconds(1), "the Retry-After of a 503");
  public static final ConfigOption<Duration> CALLBACKS_EARLY_WEBHOOK_RETENTION = duration(
      "callbacks.earlyWebhookRetention", Duration.ofHours(1), Duration.ofSeconds(1),
      "how long a webhook that arrived before its task is held");
  public static final ConfigOption<Duration> CALLBACKS_BODY_READ_TIMEOUT = duration("callbacks.bodyReadTimeout",
      Duration.ofSeconds(10), Duration.ofMillis(100), "how long a webhook's body may take to arrive");

  public static final ConfigOption<String> MANAGEMENT_HOST = string("management.host",
      ManagementSettings.defaults().host(), "the management endpoint's host");
  public static final ConfigOption<Integer> MANAGEMENT_PORT = integer("management.port",
      ManagementSettings.DEFAULT_PORT, 0, 65_535, "the management endpoint's port (0 picks a free one)");
  public static final ConfigOption<Boolean> MANAGEMENT_ENABLED = bool("management.enabled",
      ManagementSettings.defaults().enabled(), "false serves no management endpoint");
  public static final ConfigOption<Secret> MANAGEMENT_AUTH_TOKEN = secret("management.authToken",
      "the bearer token /api/ requires (16+ characters)");
  public static final ConfigOption<String> MANAGEMENT_ADVERTISED_HOST = optionalString("management.advertisedHost",
      "how other instances reach this one's management endpoint");
  public static final ConfigOption<List<String>> MANAGEMENT_PEERS = stringList("management.peers",
      "host:port of management endpoints of processes that run other services");
  public static final ConfigOption<Integer> MANAGEMENT_RECENT_COMPLETIONS = integer("management.recentCompletions",
      ManagementSettings.DEFAULT_RECENT_COMPLETIONS, 0, 100_000, "completions kept in memory for the status API");

  public static final ConfigOption<java.net.URI> TRACING_OTLP_ENDPOINT = httpUrl("observability.tracing.otlpEndpoint",
      "where OpenTelemetry spans go over OTLP/HTTP; none turns tracing off");
  public static final ConfigOption<String> TRACING_SERVICE_NAME = string("observability.tracing.serviceName",
      TracingSettings.DEFAULT_SERVICE_NAME, "the spans' service.name (else OTEL_SERVICE_NAME)");

  /** Every service-level option, in the order of the README's table. */
  public static final List<ConfigOption<?>> ALL = List.of(KAFKA_BOOTSTRAP_SERVERS, KAFKA_APPLICATION_PREFIX,
      KAFKA_PROPERTIES, KAFKA_PRODUCER, KAFKA_CONSUMER, KAFKA_STREAMS, KAFKA_INSTANCE_ID, TOPICS_REQUESTS,
      TOPICS_COMPLETIONS, TOPICS_PROGRESS, TOPICS_DEAD_LETTER, TOPICS_TASKS, TOPICS_DISPATCH_RESULTS, TOPICS_WEBHOOKS,
      TOPICS_PARTITIONS, TOPICS_REPLICATION_FACTOR, TOPICS_CREATE_MISSING, TOPICS_POLL_OBSERVATIONS, CALLBACKS_HOST,
      CALLBACKS_PORT, CALLBACKS_PUBLIC_BASE_URL, CALLBACKS_TOKEN_SECRET, CALLBACKS_MAX_BODY_BYTES, CALLBACKS_ACK_TIMEOUT,
      CALLBACKS_RETRY_AFTER, CALLBACKS_EARLY_WEBHOOK_RETENTION, CALLBACKS_BODY_READ_TIMEOUT, MANAGEMENT_HOST,
      MANAGEMENT_PORT, MANAGEMENT_ENABLED, MANAGEMENT_AUTH_TOKEN, MANAGEMENT_ADVERTISED_HOST, MANAGEMENT_PEERS,
      MANAGEMENT_RECENT_COMPLETIONS, TRACING_OTLP_ENDPOINT, TRACING_SERVICE_NAME);

  private ServiceOptions() {
  }
}
