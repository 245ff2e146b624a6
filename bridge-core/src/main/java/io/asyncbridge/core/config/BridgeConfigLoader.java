package io.asyncbridge.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.topic.TopicNames;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads {@code bridge.yaml}: environment references ({@code ${NAME}}), environment overrides
 * ({@code BRIDGE_KAFKA_BOOTSTRAP_SERVERS}), defaults, validation of everything, and one
 * {@link ConfigException} listing every problem with its key path.
 */
public final class BridgeConfigLoader {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BridgeConfigLoader.class);

  private final Map<String, String> env;

  /** @param env the environment to resolve references and overrides from (a parameter so tests inject it) */
  public BridgeConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public BridgeConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("file not found: " + file.toAbsolutePath()));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot read " + file.toAbsolutePath() + ": " + e.getMessage()));
    }
    return parse(file.toString(), text);
  }

  /** @param source names the text in messages (a file name) */
  public BridgeConfig parse(String source, String yaml) {
    return parse(source, yaml, new ConfigContext(env));
  }

  private BridgeConfig parse(String source, String yaml, ConfigContext context) {
    JsonNode root;
    try {
      // A key given twice is an error, not "the last one wins": the other value would be ignored without a word.
      YAMLFactory yamlFactory = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
      root = new ObjectMapper(yamlFactory).readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
      throw new ConfigException(source, List.of(keyPathOf(e) + "not valid YAML" + at + ": " + e.getOriginalMessage()));
    }
    ConfigNode top = new ConfigNode("", root, context);
    KafkaSettings kafka = kafka(top.child("kafka"));
    TopicNames topics = topics(top.child("topics"));
    ConfigNode callbacksNode = top.child("callbacks");
    Map<String, ProviderConfig> providers = providers(top.child("providers"), context);
    CallbackSettings callbacks = callbacks(callbacksNode, providers);
    ManagementSettings management = management(top.child("management"));
    TracingSettings tracing = tracing(top.child("observability"), context);
    top.rejectUnknownKeys();
    List<String> problems = context.problems();
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return new BridgeConfig(kafka, topics, callbacks, providers, management, tracing);
  }

  /**
   * {@code observability.tracing}; when it names no endpoint, the standard {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}
   * (or {@code OTEL_EXPORTER_OTLP_ENDPOINT}) and {@code OTEL_SERVICE_NAME} of the environment turn tracing on.
   */
  private static TracingSettings tracing(ConfigNode observability, ConfigContext context) {
    ConfigNode node = observability.child("tracing");
    Optional<URI> endpoint = node.optionalHttpUrl(ServiceOptions.TRACING_OTLP_ENDPOINT);
    if (endpoint.isEmpty() && !node.has(ServiceOptions.TRACING_OTLP_ENDPOINT)) {
      endpoint = standardEndpoint(context);
    }
    // Blank counts as absent here, and the environment's standard name comes before the declared default.
    String written = node.string(ServiceOptions.TRACING_SERVICE_NAME, "");
    String serviceName = !written.isBlank() ? written : context.env("OTEL_SERVICE_NAME")
        .filter(text -> !text.isBlank()).orElse(ServiceOptions.TRACING_SERVICE_NAME.defaultValue().orElseThrow());
    if (!serviceName.matches("[A-Za-z0-9._-]{1,64}")) {
      node.problem(ServiceOptions.TRACING_SERVICE_NAME, "'" + serviceName + "' must be 1-64 of [A-Za-z0-9._-]");
    }
    node.rejectUnknownKeys();
    observability.rejectUnknownKeys();
    return new TracingSettings(endpoint, serviceName);
  }

  /** The first of {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} and {@code OTEL_EXPORTER_OTLP_ENDPOINT} that is set. */
  private static Optional<URI> standardEndpoint(ConfigContext context) {
    for (String name : List.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")) {
      Optional<String> value = context.env(name).map(String::trim).filter(text -> !text.isEmpty());
      if (value.isEmpty()) {
        continue;
      }
      try {
        URI uri = new URI(value.get());
        if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getRawUserInfo() == null) {
          return Optional.of(uri);
        }
      } catch (java.net.URISyntaxException e) {
        // reported below
      }
      // Not quoted: a URL with credentials in it must not reach a log.
      context.problem(name + ": is not an http(s) URL with a host and without credentials");
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static ManagementSettings management(ConfigNode node) {
    ManagementSettings settings = new ManagementSettings(
        node.string(ServiceOptions.MANAGEMENT_HOST),
        node.integer(ServiceOptions.MANAGEMENT_PORT),
        node.bool(ServiceOptions.MANAGEMENT_ENABLED),
        node.optionalSecret(ServiceOptions.MANAGEMENT_AUTH_TOKEN),
        node.optionalString(ServiceOptions.MANAGEMENT_ADVERTISED_HOST),
        node.stringList(ServiceOptions.MANAGEMENT_PEERS),
        node.integer(ServiceOptions.MANAGEMENT_RECENT_COMPLETIONS));
    if (settings.host().isBlank()) {
      node.problem(ServiceOptions.MANAGEMENT_HOST, "must not be empty (0.0.0.0 listens on every interface)");
    }
    if (settings.authToken().isPresent() && settings.authToken().get().reveal().length() < 16) {
      node.problem(ServiceOptions.MANAGEMENT_AUTH_TOKEN, "is too short; use at least 16 random characters");
    }
    if (settings.advertisedHost().isPresent() && !settings.advertisedHost().get().matches("[A-Za-z0-9.:\\[\\]_-]{1,253}")) {
      node.problem(ServiceOptions.MANAGEMENT_ADVERTISED_HOST, "'" + settings.advertisedHost().get() + "' is not a host name or address");
    }
    for (String peer : settings.peers()) {
      if (!peer.matches("[A-Za-z0-9.\\[\\]:_-]{1,253}:[0-9]{1,5}")) {
        node.problem(ServiceOptions.MANAGEMENT_PEERS, "'" + peer + "' is not host:port");
      }
    }
    node.rejectUnknownKeys();
    return settings;
  }

  /** {@code providers.acquia.clientSecret: } when the parser knows where it stopped, else nothing. */
  private static String keyPathOf(JsonProcessingException e) {
    if (!(e.getProcessor() instanceof JsonParser parser) || parser.getParsingContext() == null) {
      return "";
    }
    String pointer = parser.getParsingContext().pathAsPointer().toString();
    return pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.') + ": ";
  }

  private static KafkaSettings kafka(ConfigNode node) {
    KafkaSettings settings = new KafkaSettings(
        node.string(ServiceOptions.KAFKA_BOOTSTRAP_SERVERS),
        node.string(ServiceOptions.KAFKA_APPLICATION_PREFIX),
        node.stringMap(ServiceOptions.KAFKA_PROPERTIES),
        node.stringMap(ServiceOptions.KAFKA_PRODUCER),
        node.stringMap(ServiceOptions.KAFKA_CONSUMER),
        node.stringMap(ServiceOptions.KAFKA_STREAMS),
        node.optionalString(ServiceOptions.KAFKA_INSTANCE_ID));
    if (settings.instanceId().isPresent()
        && !KafkaSettings.INSTANCE_ID.matcher(settings.instanceId().get()).matches()) {
      node.problem(ServiceOptions.KAFKA_INSTANCE_ID, "'" + settings.instanceId().get()
          + "' is not an instance id: 1-200 letters, digits, '.', '_' or '-' (a pod name fits)");
    }
    if (settings.bootstrapServers().isBlank()) {
      node.problem(ServiceOptions.KAFKA_BOOTSTRAP_SERVERS, "must not be empty");
    }
    if (!settings.applicationPrefix().matches("[A-Za-z0-9._-]+")) {
      node.problem(ServiceOptions.KAFKA_APPLICATION_PREFIX, "may contain only letters, digits, '.', '_' and '-'");
    }
    node.rejectUnknownKeys();
    return settings;
  }

  private static TopicNames topics(ConfigNode node) {
    TopicNames topics = new TopicNames(
        topicName(node, ServiceOptions.TOPICS_REQUESTS),
        topicName(node, ServiceOptions.TOPICS_COMPLETIONS),
        topicName(node, ServiceOptions.TOPICS_PROGRESS),
        topicName(node, ServiceOptions.TOPICS_DEAD_LETTER),
        topicName(node, ServiceOptions.TOPICS_TASKS),
        topicName(node, ServiceOptions.TOPICS_DISPATCH_RESULTS),
        topicName(node, ServiceOptions.TOPICS_WEBHOOKS),
        node.integer(ServiceOptions.TOPICS_PARTITIONS),
        (short) node.integer(ServiceOptions.TOPICS_REPLICATION_FACTOR),
        node.bool(ServiceOptions.TOPICS_CREATE_MISSING));
    if (node.retired(ServiceOptions.TOPICS_POLL_OBSERVATIONS)) {
      LOG.warn("topics.pollObservations is no longer used: poll answers no longer pass through Kafka. Remove the key;"
          + " once every poller runs this version, the topic it named can be deleted");
    }
    long distinct = topics.all().stream().map(TopicNames.TopicDefinition::name).distinct().count();
    if (distinct != topics.all().size()) {
      node.problem("", "two topics have the same name; every topic must be distinct");
    }
    node.rejectUnknownKeys();
    return topics;
  }

  private static String topicName(ConfigNode node, ConfigOption<String> option) {
    String name = node.string(option);
    if (!name.matches("[A-Za-z0-9._-]{1,249}")) {
      node.problem(option, "'" + name + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-'; 1-249)");
    }
    return name;
  }

  private static CallbackSettings callbacks(ConfigNode node, Map<String, ProviderConfig> providers) {
    boolean needed = providers.values().stream().anyMatch(provider -> provider.mode() == TaskMode.CALLBACK);
    Optional<URI> publicBaseUrl = needed
        ? node.requiredHttpUrl(ServiceOptions.CALLBACKS_PUBLIC_BASE_URL,
            "a provider uses callbacks; upstreams must know where to call back")
        : node.optionalHttpUrl(ServiceOptions.CALLBACKS_PUBLIC_BASE_URL);
    List<Secret> tokenSecrets = node.secretList(ServiceOptions.CALLBACKS_TOKEN_SECRET);
    for (int i = 0; i < tokenSecrets.size(); i++) {
      if (tokenSecrets.get(i).reveal().length() < 16) {
        node.problem(tokenSecrets.size() == 1 ? "tokenSecret" : "tokenSecret[" + i + "]",
            "is too short; use at least 16 random characters");
      }
    }
    if (tokenSecrets.isEmpty() && needed) {
      LOG.warn("callbacks.tokenSecret is not set: callback tokens are keyed on the callback providers' secrets, so"
          + " rotating one of them (or changing the provider list) invalidates every outstanding callback URL;"
          + " set callbacks.tokenSecret (BRIDGE_CALLBACKS_TOKEN_SECRET) to a long random value shared by all instances");
      Optional<Secret> derived = derivedTokenSecret(providers);
      tokenSecrets = derived.map(List::of).orElse(List.of());
      if (derived.isEmpty()) {
        node.problem(ServiceOptions.CALLBACKS_TOKEN_SECRET, "is required: no callback provider has a secret to derive the callback token key from");
      }
    }
    CallbackSettings settings = new CallbackSettings(
        node.string(ServiceOptions.CALLBACKS_HOST),
        node.integer(ServiceOptions.CALLBACKS_PORT),
        publicBaseUrl,
        tokenSecrets,
        node.integer(ServiceOptions.CALLBACKS_MAX_BODY_BYTES),
        node.duration(ServiceOptions.CALLBACKS_ACK_TIMEOUT),
        node.duration(ServiceOptions.CALLBACKS_RETRY_AFTER),
        node.duration(ServiceOptions.CALLBACKS_EARLY_WEBHOOK_RETENTION),
        node.duration(ServiceOptions.CALLBACKS_BODY_READ_TIMEOUT));
    node.rejectUnknownKeys();
    return settings;
  }

  /**
   * Without an explicit {@code callbacks.tokenSecret}, the callback token key is derived from the callback providers'
   * own secrets: stable across restarts and instances, and unguessable to whoever does not hold those secrets.
   */
  private static Optional<Secret> derivedTokenSecret(Map<String, ProviderConfig> providers) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      boolean any = false;
      for (ProviderConfig provider : providers.values().stream()
          .sorted(java.util.Comparator.comparing(ProviderConfig::name)).toList()) {
        if (provider.mode() != TaskMode.CALLBACK) {
          continue;
        }
        if (provider.auth() instanceof UpstreamAuth.StaticHeader header) {
          digest.update(header.value().bytes());
          any = true;
        }
        Optional<Secret> key = provider.callback().flatMap(rules -> rules.signature().key());
        if (key.isPresent()) {
          digest.update(key.get().bytes());
          any = true;
        }
      }
      return any ? Optional.of(Secret.of(java.util.HexFormat.of().formatHex(digest.digest()))) : Optional.empty();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static Map<String, ProviderConfig> providers(ConfigNode node, ConfigContext context) {
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    if (node.keys().isEmpty()) {
      context.problem("providers: at least one provider is required");
    }
    for (String name : node.keys()) {
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
        context.problem("providers." + name + ": provider names may contain letters, digits, '_' and '-' (1-64)");
        continue;
      }
      new ProviderConfigReader(node.child(name), name).read().ifPresent(provider -> providers.put(name, provider));
    }
    return providers;
  }
}
