package io.asyncbridge.core.config;

import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The catalogue of configuration keys, taken from the loader itself: each sample below is read by
 * {@link BridgeConfigLoader}, and every key path a reader asks for is recorded ({@code providers.<name>.poll.maxInterval}).
 * A key added to a reader is therefore in the catalogue at once; the samples only have to reach every branch (each
 * provider type, each generic auth type, a signature scheme). The README's configuration table is checked against it.
 */
public final class ConfigKeys {

  private static final String COMMON = """
      kafka: {bootstrapServers: localhost:9092}
      callbacks: {publicBaseUrl: 'http://bridge.example.com', tokenSecret: a-long-enough-token-secret}
      providers:
      """;

  /** One sample per branch of the provider reader. */
  private static final Map<String, String> SAMPLES = Map.of(
      "http-lro", """
            azure:
              type: http-lro
              baseUrl: https://management.azure.com
              auth: {type: oauth2-client-credentials, tokenUrl: 'https://login.example.com/token', clientId: id,
                     clientSecret: secret, scope: 'https://management.azure.com/.default'}
          """,
      "google-lro", """
            google:
              type: google-lro
              baseUrl: https://example.googleapis.com/v1
              auth: {type: header, header: X-Goog-Api-Key, value: key}
          """,
      "acquia", """
            acquia:
              type: acquia
              baseUrl: https://cloud.acquia.com/api
              clientId: id
              clientSecret: secret
          """,
      "cloud-elements", """
            documents:
              type: cloud-elements
              baseUrl: https://api.cloud-elements.com/elements/api-v2
              authorization: User u, Element e
          """,
      "generic poll, header auth", """
            jobs:
              type: generic
              mode: poll
              baseUrl: https://jobs.example.com
              notificationLinkPointer: /links/status
              status: {succeeded: [done]}
              auth: {type: header, header: X-Api-Key, value: key}
              cancel: {method: POST, path: '{notificationUrl}/cancel'}
          """,
      "generic callback, OAuth2, signed webhooks", """
            hooks:
              type: generic
              mode: callback
              baseUrl: https://hooks.example.com
              status: {succeeded: [done]}
              auth: {type: oauth2-client-credentials, tokenUrl: 'https://hooks.example.com/token', clientId: id,
                     clientSecret: secret}
              callback:
                requestHeaders: {X-Callback: '{callbackUrl}'}
                signature: {scheme: hmac-sha256, secret: key}
          """);

  private ConfigKeys() {
  }

  /** Every key path the loader reads, sorted; maps of free-form keys (Kafka properties, headers) appear once. */
  public static SortedSet<String> known() {
    BridgeConfigLoader loader = new BridgeConfigLoader(Map.of());
    SortedSet<String> keys = new TreeSet<>();
    SAMPLES.forEach((branch, provider) -> {
      try {
        keys.addAll(loader.keysRead(COMMON + provider));
      } catch (ConfigException e) {
        throw new IllegalStateException("the catalogue sample '" + branch + "' no longer loads: " + e.getMessage(), e);
      }
    });
    return keys;
  }

  /** The branches the samples cover, for a test that new provider types get a sample. */
  static Set<String> branches() {
    return SAMPLES.keySet();
  }
}
