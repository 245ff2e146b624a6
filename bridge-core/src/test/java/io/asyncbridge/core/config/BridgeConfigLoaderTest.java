package io.asyncbridge.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.topic.TopicNames;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeConfigLoaderTest {

  /** The configuration exactly as DESIGN.md's contract shows it. */
  static final String CONTRACT_YAML = """
      kafka:
        bootstrapServers: localhost:9092     # plus any client property under kafka.producer / kafka.consumer
      topics:                                # these names are the defaults
        requests: bridge.requests
        completions: bridge.completions
        progress: bridge.progress
        deadLetter: bridge.requests.dlq
      callbacks:
        host: 0.0.0.0
        port: 8080
        publicBaseUrl: https://bridge.example.com   # what upstreams are told to call back
      providers:
        acquia:
          type: acquia                 # poll via /_links/notification/href
          baseUrl: https://cloud.acquia.com/api
          tokenUrl: https://accounts.acquia.com/api/auth/oauth/token
          clientId: ${ACQUIA_CLIENT_ID}
          clientSecret: ${ACQUIA_CLIENT_SECRET}
          allowedHosts: [cloud.acquia.com]   # optional; default: the host of baseUrl
        documents:
          type: cloud-elements         # Elements-Async-Request + per-task Elements-Async-Callback-Url
          baseUrl: https://api.cloud-elements.com/elements/api-v2
          authorization: ${CE_AUTHORIZATION}      # "User ..., Element ..."
          signatureKey: ${CE_SIGNATURE_KEY}       # hash verification of callbacks
      """;

  static final Map<String, String> CONTRACT_ENV = Map.of(
      "ACQUIA_CLIENT_ID", "client-id-1",
      "ACQUIA_CLIENT_SECRET", "acquia-very-secret",
      "CE_AUTHORIZATION", "User u-secret, Element e-secret",
      "CE_SIGNATURE_KEY", "ce-signature-secret");

  @Test
  void loadsTheContractConfigurationWithBuiltInDefaults() {
    BridgeConfig config = new BridgeConfigLoader(CONTRACT_ENV).parse("bridge.yaml", CONTRACT_YAML);

    assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.topics()).isEqualTo(TopicNames.defaults());
    assertThat(config.callbacks().publicBaseUrl()).contains(URI.create("https://bridge.example.com"));
    assertThat(config.callbacks().tokenSecret()).as("derived from the callback providers' secrets").isPresent();

    ProviderConfig acquia = config.provider("acquia").orElseThrow();
    assertThat(acquia.type()).isEqualTo(ProviderType.ACQUIA);
    assertThat(acquia.mode()).isEqualTo(TaskMode.POLL);
    assertThat(acquia.notificationLinkPointer()).contains("/_links/notification/href");
    assertThat(acquia.allowedHosts()).containsExactly("cloud.acquia.com");
    assertThat(acquia.auth()).isInstanceOfSatisfying(UpstreamAuth.OAuth2ClientCredentials.class, oauth -> {
      assertThat(oauth.clientId()).isEqualTo("client-id-1");
      assertThat(oauth.clientSecret().reveal()).isEqualTo("acquia-very-secret");
      assertThat(oauth.tokenUrl()).isEqualTo(URI.create("https://accounts.acquia.com/api/auth/oauth/token"));
    });
    assertThat(acquia.status().classify("in-progress")).isEqualTo(StatusRules.Outcome.RUNNING);
    assertThat(acquia.status().classify("in_progress")).isEqualTo(StatusRules.Outcome.RUNNING);
    assertThat(acquia.status().classify("started")).isEqualTo(StatusRules.Outcome.RUNNING);
    assertThat(acquia.status().classify("Completed")).isEqualTo(StatusRules.Outcome.SUCCEEDED);
    assertThat(acquia.status().classify("succeeded")).isEqualTo(StatusRules.Outcome.SUCCEEDED);
    assertThat(acquia.status().classify("failed")).isEqualTo(StatusRules.Outcome.FAILED);
    assertThat(acquia.status().classify("queued")).isEqualTo(StatusRules.Outcome.UNKNOWN);

    ProviderConfig documents = config.provider("documents").orElseThrow();
    assertThat(documents.mode()).isEqualTo(TaskMode.CALLBACK);
    assertThat(documents.auth()).isInstanceOfSatisfying(UpstreamAuth.StaticHeader.class,
        header -> assertThat(header.header()).isEqualTo("Authorization"));
    CallbackRules callback = documents.callback().orElseThrow();
    assertThat(callback.requestHeaders())
        .containsEntry("Elements-Async-Request", "True")
        .containsEntry("Elements-Async-Callback-Url", "{callbackUrl}");
    assertThat(callback.correlationIdPointer()).isEqualTo("/eventId");
    assertThat(callback.signature().scheme()).isEqualTo(SignatureRules.Scheme.HMAC_SHA256);
    assertThat(callback.signature().header()).isEqualTo("Elements-Webhook-Signature");
    assertThat(callback.signature().prefix()).isEqualTo("sha256=");
  }

  @Test
  void secretsNeverAppearInToString() {
    BridgeConfig config = new BridgeConfigLoader(CONTRACT_ENV).parse("bridge.yaml", CONTRACT_YAML);

    String printed = config.toString();

    assertThat(printed).doesNotContain("acquia-very-secret", "u-secret", "e-secret", "ce-signature-secret")
        .contains("****");
  }

  @Test
  void environmentOverridesAnyKey() {
    Map<String, String> env = new java.util.HashMap<>(CONTRACT_ENV);
    env.put("BRIDGE_KAFKA_BOOTSTRAP_SERVERS", "broker-1:9093,broker-2:9093");
    env.put("BRIDGE_TOPICS_COMPLETIONS", "team.completions");
    env.put("BRIDGE_PROVIDERS_ACQUIA_POLL_MAX_INTERVAL", "PT2M");
    env.put("BRIDGE_KAFKA_PRODUCER_LINGER_MS", "0");
    env.put("BRIDGE_CALLBACKS_PORT", "9090");

    BridgeConfig config = new BridgeConfigLoader(env).parse("bridge.yaml", CONTRACT_YAML);

    assertThat(config.kafka().bootstrapServers()).isEqualTo("broker-1:9093,broker-2:9093");
    assertThat(config.topics().completions()).isEqualTo("team.completions");
    assertThat(config.provider("acquia").orElseThrow().poll().maxInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.kafka().producer()).containsEntry("linger.ms", "0");
    assertThat(config.callbacks().port()).isEqualTo(9090);
  }

  @Test
  void anInstanceIdComesFromTheEnvironmentAsAPodNameWouldAndAnOddOneIsAProblem() {
    Map<String, String> env = new java.util.HashMap<>(CONTRACT_ENV);
    env.put("BRIDGE_KAFKA_INSTANCE_ID", "bridge-poller-2");
    assertThat(new BridgeConfigLoader(env).parse("bridge.yaml", CONTRACT_YAML).kafka().instanceId())
        .contains("bridge-poller-2");
    assertThat(new BridgeConfigLoader(CONTRACT_ENV).parse("bridge.yaml", CONTRACT_YAML).kafka().instanceId()).isEmpty();

    env.put("BRIDGE_KAFKA_INSTANCE_ID", "pod 2/x");
    assertThatThrownBy(() -> new BridgeConfigLoader(env).parse("bridge.yaml", CONTRACT_YAML))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "kafka.instanceId: 'pod 2/x' is not an instance id: 1-200 letters, digits, '.', '_' or '-' (a pod name fits)"));
  }

  @Test
  void anIdempotencyKeyHeaderLetsAutoSendAPostAgainAndMustBeAHeaderOfItsOwn() {
    String yaml = """
        providers:
          keyed:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: id
            clientSecret: secret
            dispatch: {idempotencyKey: Idempotency-Key}
          plain:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: id
            clientSecret: secret
        """;
    BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml);
    DispatchPolicy keyed = config.provider("keyed").orElseThrow().dispatch();
    DispatchPolicy plain = config.provider("plain").orElseThrow().dispatch();

    assertThat(keyed.idempotencyKey()).contains("Idempotency-Key");
    assertThat(keyed.resendsAfterUnknownOutcome("POST")).isTrue();
    assertThat(keyed.resendsAfterUnknownOutcome("PATCH")).isTrue();
    assertThat(plain.idempotencyKey()).isEmpty();
    assertThat(plain.resendsAfterUnknownOutcome("POST")).isFalse();
    assertThat(plain.resendsAfterUnknownOutcome("PUT")).isTrue();
    DispatchPolicy failing = new DispatchPolicy(1, Duration.ofSeconds(1), 1, Duration.ZERO, Duration.ZERO,
        DispatchPolicy.UnknownOutcome.FAIL, java.util.Optional.of("Idempotency-Key"));
    assertThat(failing.resendsAfterUnknownOutcome("POST")).as("fail stays fail").isFalse();

    String bad = yaml.replace("{idempotencyKey: Idempotency-Key}", "{idempotencyKey: 'Idempotency Key'}");
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", bad))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "providers.keyed.dispatch.idempotencyKey: 'Idempotency Key' is not an HTTP header name"));
    String reserved = yaml.replace("{idempotencyKey: Idempotency-Key}", "{idempotencyKey: Authorization}");
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", reserved))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "providers.keyed.dispatch.idempotencyKey: 'Authorization' is set by the bridge for another purpose"));
  }

  @Test
  void rateLimitsArePositiveNumbersPerProviderAndKind() {
    String yaml = """
        providers:
          limited:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: id
            clientSecret: secret
            dispatch: {rateLimit: 2.5}
            poll: {rateLimit: 40}
          free:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: id
            clientSecret: secret
        """;
    BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml);

    assertThat(config.provider("limited").orElseThrow().dispatch().rateLimit()).hasValue(2.5);
    assertThat(config.provider("limited").orElseThrow().poll().rateLimit()).hasValue(40.0);
    assertThat(config.provider("free").orElseThrow().dispatch().rateLimit()).isEmpty();
    assertThat(config.provider("free").orElseThrow().poll().rateLimit()).isEmpty();

    String bad = yaml.replace("{rateLimit: 2.5}", "{rateLimit: 0}").replace("{rateLimit: 40}", "{rateLimit: fast}");
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", bad))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "providers.limited.dispatch.rateLimit: 0 is out of range, expected a number above 0 and at most 1000000",
            "providers.limited.poll.rateLimit: 'fast' is not a number"));
    String negative = yaml.replace("{rateLimit: 40}", "{rateLimit: -3}");
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", negative))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "providers.limited.poll.rateLimit: -3 is out of range, expected a number above 0 and at most 1000000"));
  }

  @Test
  void envNamesFollowKeyPaths() {
    assertThat(ConfigNode.envName("kafka.bootstrapServers")).isEqualTo("BRIDGE_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(ConfigNode.envName("providers.acquia.clientSecret")).isEqualTo("BRIDGE_PROVIDERS_ACQUIA_CLIENT_SECRET");
    assertThat(ConfigNode.envName("providers.my-api.baseUrl")).isEqualTo("BRIDGE_PROVIDERS_MY_API_BASE_URL");
  }

  @Test
  void reportsEveryProblemWithItsKeyPath() {
    String broken = """
        kafka:
          bootstrapServer: localhost:9092
        callbacks:
          port: 99999
        providers:
          acquia:
            baseUrl: ftp://cloud.acquia.com/api
            clientId: x
            clientSecret: y
          documents:
            type: cloud-elements
            baseUrl: not a url
            authorization: ${CE_AUTHORIZATION}
          third:
            type: soap
            baseUrl: https://example.com
        """;

    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", broken))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "kafka.bootstrapServer: unknown key (did you mean 'bootstrapServers'?)",
            "callbacks.port: 99999 is out of range, expected 0..65535",
            "providers.acquia.type: is required (one of acquia, cloud-elements, generic, http-lro, google-lro)",
            "providers.acquia.baseUrl: 'ftp://cloud.acquia.com/api' is not an http(s) URL",
            "providers.documents.baseUrl: 'not a url' is not a valid URL (Illegal character in path)",
            "providers.documents.authorization: environment variable CE_AUTHORIZATION is not set",
            "providers.third.type: 'soap' is not one of [acquia, cloud-elements, generic, http-lro, google-lro]"))
        .hasMessageStartingWith("invalid configuration bridge.yaml (7 problems):");
  }

  static final String TRACING_BASE = """
      providers:
        acquia: {type: acquia, baseUrl: 'https://cloud.acquia.com/api', clientId: id, clientSecret: secret}
      """;

  @Test
  void tracingIsOffByDefaultAndTurnedOnByTheConfigOrTheStandardOtelVariables() {
    String plain = TRACING_BASE;
    assertThat(new BridgeConfigLoader(Map.of()).parse("bridge.yaml", plain).tracing().enabled()).isFalse();

    TracingSettings configured = new BridgeConfigLoader(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored:4318"))
        .parse("bridge.yaml", plain + """
            observability:
              tracing:
                otlpEndpoint: http://collector:4318
                serviceName: bridge-eu
            """).tracing();
    assertThat(configured.tracesUrl()).contains("http://collector:4318/v1/traces");
    assertThat(configured.serviceName()).isEqualTo("bridge-eu");

    TracingSettings standard = new BridgeConfigLoader(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318/",
        "OTEL_SERVICE_NAME", "orders-bridge")).parse("bridge.yaml", plain).tracing();
    assertThat(standard.tracesUrl()).contains("http://otel:4318/v1/traces");
    assertThat(standard.serviceName()).isEqualTo("orders-bridge");
    TracingSettings exact = new BridgeConfigLoader(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://otel:4318/custom/traces")).parse("bridge.yaml", plain).tracing();
    assertThat(exact.tracesUrl()).contains("https://otel:4318/custom/traces");
    assertThat(exact.serviceName()).isEqualTo(TracingSettings.DEFAULT_SERVICE_NAME);
  }

  @Test
  void badTracingSettingsNameTheirKey() {
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", TRACING_BASE + """
        observability:
          tracing:
            otlpEndpoint: grpc://collector:4317
            serviceName: "bridge eu"
            sampler: always
          metrics: {}
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "observability.tracing.otlpEndpoint: 'grpc://collector:4317' is not an http(s) URL",
            "observability.tracing.serviceName: 'bridge eu' must be 1-64 of [A-Za-z0-9._-]",
            "observability.tracing.sampler: unknown key",
            "observability.metrics: unknown key"));
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"))
        .parse("bridge.yaml", TRACING_BASE)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly("OTEL_EXPORTER_OTLP_ENDPOINT: is not an http(s) URL with a host and without credentials"));
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "https://user:s3cret@otel:4318/v1/traces")).parse("bridge.yaml", TRACING_BASE))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage()).doesNotContain("s3cret")
            .contains("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: is not an http(s) URL"));
  }

  @Test
  void callbackProvidersNeedAPublicBaseUrl() {
    String yaml = """
        providers:
          documents:
            type: cloud-elements
            baseUrl: https://api.cloud-elements.com/elements/api-v2
            authorization: User a, Element b
        """;

    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "callbacks.publicBaseUrl: is required (a provider uses callbacks; upstreams must know where to call back)"));
  }

  @Test
  void genericProvidersDeclareWhatBuiltInTypesImply() {
    String yaml = """
        providers:
          builds:
            type: generic
            baseUrl: https://ci.example.com/api
        """;

    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "providers.builds.mode: is required for a generic provider (poll or callback)",
            "providers.builds.notificationLinkPointer: is required for a generic poll provider (e.g."
                + " /_links/notification/href), unless notificationLinkHeader names the header that carries the link"
                + " (e.g. Location)",
            "providers.builds.status.succeeded: is required for a generic provider: the status words that mean success"
                + " (or donePointer, for operations that say done: true)"));
  }

  @Test
  void genericCallbackProviderWithStandardWebhooks() {
    String yaml = """
        callbacks:
          publicBaseUrl: https://bridge.example.com
          tokenSecret: 0123456789abcdef0123
        providers:
          payments:
            type: generic
            mode: callback
            baseUrl: https://pay.example.com/v1
            auth: {type: header, header: X-Api-Key, value: key-123}
            status: {pointer: /data/status, succeeded: [paid], failed: [declined, error]}
            callback:
              requestHeaders: {X-Callback-Url: "{callbackUrl}"}
              correlationIdPointer: /data/id
              signature: {scheme: standard-webhooks, secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, tolerance: 5m}
        """;

    ProviderConfig payments = new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml).provider("payments").orElseThrow();

    assertThat(payments.mode()).isEqualTo(TaskMode.CALLBACK);
    assertThat(payments.status().classify("paid")).isEqualTo(StatusRules.Outcome.SUCCEEDED);
    assertThat(payments.callback().orElseThrow().signature().scheme()).isEqualTo(SignatureRules.Scheme.STANDARD_WEBHOOKS);
    assertThat(payments.callback().orElseThrow().signature().tolerance()).isEqualTo(Duration.ofMinutes(5));
    assertThat(payments.auth()).isInstanceOf(UpstreamAuth.StaticHeader.class);
  }

  @Test
  void configuredHeadersCannotOverrideAuthentication() {
    String yaml = """
        providers:
          acquia:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: a
            clientSecret: b
            requestHeaders: {Authorization: Bearer stolen}
        """;

    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "providers.acquia.requestHeaders: 'Authorization' is set by the bridge and cannot be configured here"));
  }

  @Test
  void allowedHostsTakeNamesWildcardsAndStarButNotUrls() {
    String yaml = """
        providers:
          open:
            type: generic
            mode: poll
            baseUrl: https://api.example.com
            notificationLinkPointer: /link
            status: {succeeded: [done]}
            allowedHosts: ["*", "*.example.org", "https://bad.example.com/path"]
        """;

    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "providers.open.allowedHosts: 'https://bad.example.com/path' is not a host name"
                + " (write cloud.acquia.com or *.acquia.com, no scheme or path)"));
  }

  @Test
  void invalidYamlSaysWhere() {
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", "kafka:\n  bootstrapServers: [a\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML at line");
  }

  @Test
  void missingFileIsOneClearProblem(@TempDir Path dir) {
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("file not found");
  }

  @Test
  void loadsFromAFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("bridge.yaml"), CONTRACT_YAML);

    assertThat(new BridgeConfigLoader(CONTRACT_ENV).load(file).providers()).containsOnlyKeys("acquia", "documents");
  }

  @Test
  void durationsAcceptIsoAndShortForms() {
    assertThat(Durations.parse("PT30S")).contains(Duration.ofSeconds(30));
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
    assertThat(Durations.parse("soon")).isEmpty();
    assertThat(Durations.parse("-PT1S")).isEmpty();
  }

  @Test
  void duplicateKeysBadWebhookSecretsAndWholeSectionProblemsNameTheirKey() {
    String duplicate = """
        providers:
          acquia:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: a
            clientSecret: first
            clientSecret: second
        """;
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", duplicate))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("providers.acquia.clientSecret: not valid YAML at line 7").contains("Duplicate field 'clientSecret'")
            .doesNotContain("first", "second"));

    String badSecret = """
        callbacks: {publicBaseUrl: https://bridge.example.com, tokenSecret: 0123456789abcdef0123}
        providers:
          payments:
            type: generic
            mode: callback
            baseUrl: https://pay.example.com/v1
            status: {succeeded: [paid]}
            callback:
              requestHeaders: {X-Callback-Url: "{callbackUrl}"}
              signature: {scheme: standard-webhooks, secret: "whsec_not*base64"}
        """;
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", badSecret))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "providers.payments.callback.signature.secret: a whsec_ secret must be the prefix followed by a non-empty"
                + " base64 key"));

    String sameTopics = """
        topics: {requests: same, completions: same}
        providers:
          acquia: {type: acquia, baseUrl: https://cloud.acquia.com/api, clientId: a, clientSecret: b}
        """;
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", sameTopics))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "topics: two topics have the same name; every topic must be distinct"));
  }

  @Test
  void keysThatVerifyAcceptAListNewestFirst() {
    String yaml = """
        callbacks:
          publicBaseUrl: https://bridge.example.com
          tokenSecret:                    # block style: ${...} is not valid inside a YAML [flow list]
            - ${NEW_TOKEN_SECRET}
            - ${OLD_TOKEN_SECRET:-}
        providers:
          documents:
            type: cloud-elements
            baseUrl: https://api.cloud-elements.com/elements/api-v2
            authorization: User u, Element e
            signatureKey:
              - ce-new-key
              - ce-old-key
        """;
    BridgeConfig config = new BridgeConfigLoader(Map.of("NEW_TOKEN_SECRET", "new-token-secret-0123456789",
        "OLD_TOKEN_SECRET", "old-token-secret-0123456789")).parse("bridge.yaml", yaml);

    assertThat(config.callbacks().tokenSecrets()).extracting(Secret::reveal)
        .containsExactly("new-token-secret-0123456789", "old-token-secret-0123456789");
    assertThat(config.callbacks().tokenSecret()).map(Secret::reveal).contains("new-token-secret-0123456789");
    SignatureRules signature = config.provider("documents").orElseThrow().callback().orElseThrow().signature();
    assertThat(signature.keys()).extracting(Secret::reveal).containsExactly("ce-new-key", "ce-old-key");
    assertThat(signature.key()).map(Secret::reveal).contains("ce-new-key");

    BridgeConfig oldRemoved = new BridgeConfigLoader(Map.of("NEW_TOKEN_SECRET", "new-token-secret-0123456789"))
        .parse("bridge.yaml", yaml);
    assertThat(oldRemoved.callbacks().tokenSecrets()).as("an unset optional previous key is skipped")
        .extracting(Secret::reveal).containsExactly("new-token-secret-0123456789");
  }

  @Test
  void keyListProblemsNameTheItemAndNeverTheValue() {
    String yaml = """
        callbacks:
          publicBaseUrl: https://bridge.example.com
          tokenSecret: [long-enough-token-secret-1, short-one]
        providers:
          documents:
            type: cloud-elements
            baseUrl: https://api.cloud-elements.com/elements/api-v2
            authorization: User u, Element e
            signatureKey: [ce-key-1, ce-key-1, {nested: map}]
          payments:
            type: generic
            mode: callback
            baseUrl: https://pay.example.com/v1
            status: {succeeded: [paid]}
            callback:
              requestHeaders: {X-Callback-Url: "{callbackUrl}"}
              signature:
                scheme: standard-webhooks
                secret: [whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, "whsec_not*base64"]
          builds:
            type: generic
            mode: callback
            baseUrl: https://ci.example.com
            status: {succeeded: [ok]}
            callback:
              requestHeaders: {X-Callback-Url: "{callbackUrl}"}
              signature: {scheme: hmac-sha256, secret: []}
        """;
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).containsExactlyInAnyOrder(
              "callbacks.tokenSecret[1]: is too short; use at least 16 random characters",
              "providers.documents.signatureKey[1]: the same key is listed twice",
              "providers.documents.signatureKey[2]: expected a single value, found a mapping",
              "providers.payments.callback.signature.secret[1]: a whsec_ secret must be the prefix followed by a"
                  + " non-empty base64 key",
              "providers.builds.callback.signature.secret: is required (the key webhooks are signed with)");
          assertThat(e.getMessage()).doesNotContain("short-one", "ce-key-1", "not*base64");
        });
  }
}
