package io.asyncbridge.callbacks.testing;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import java.util.Map;

/** Configurations for tests: a Cloud Elements provider, a Standard Webhooks provider, an unsigned one, a poll one. */
public final class TestConfigs {

  public static final String CE_KEY = "ce-signature-key-1";
  public static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  public static final String TOKEN_SECRET = "0123456789abcdef0123";

  private TestConfigs() {
  }

  public static BridgeConfig config(String bootstrapServers, String topicPrefix, int port) {
    String yaml = """
        kafka:
          bootstrapServers: %1$s
          applicationPrefix: %2$s
        topics:
          requests: %2$s.requests
          completions: %2$s.completions
          progress: %2$s.progress
          deadLetter: %2$s.dlq
          tasks: %2$s.tasks
          dispatchResults: %2$s.results
          webhooks: %2$s.webhooks
          partitions: 3
          replicationFactor: 1
        callbacks:
          host: 127.0.0.1
          port: %3$d
          publicBaseUrl: http://127.0.0.1:%3$d
          tokenSecret: %4$s
          maxBodyBytes: 2048
          ackTimeout: PT2S
          retryAfter: PT7S
          earlyWebhookRetention: PT10M
        providers:
          documents:
            type: cloud-elements
            baseUrl: https://api.cloud-elements.com/elements/api-v2
            authorization: User u-secret, Element e-secret
            signatureKey: %5$s
          payments:
            type: generic
            mode: callback
            baseUrl: https://pay.example.com/v1
            status: {pointer: /data/status, succeeded: [paid], failed: [declined]}
            callback:
              requestHeaders: {X-Callback-Url: "{callbackUrl}"}
              correlationIdPointer: /data/id
              signature: {scheme: standard-webhooks, secret: %6$s, tolerance: 5m}
          builds:
            type: generic
            mode: callback
            baseUrl: https://ci.example.com
            status: {pointer: /state, succeeded: [ok], failed: [broken]}
            callback:
              requestHeaders: {X-Callback-Url: "{callbackUrl}"}
          acquia:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: a
            clientSecret: b
        """.formatted(bootstrapServers, topicPrefix, port, TOKEN_SECRET, CE_KEY, WHSEC);
    return new BridgeConfigLoader(Map.of()).parse("test.yaml", yaml);
  }

  public static BridgeConfig config() {
    return config("localhost:9092", "t", 0);
  }
}
