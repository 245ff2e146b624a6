package io.asyncbridge.benchmarks.support;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import java.util.Locale;
import java.util.Map;

/** The bridge configurations the benchmarks run with, as YAML a reader can compare with their own. */
public final class BenchConfigs {

  public static final String PROVIDER = "bench";
  public static final String CE_PROVIDER = "documents";
  public static final String CE_KEY = "benchmark-signature-key";

  private BenchConfigs() {
  }

  /** Topics named {@code <prefix>.*}, 3 partitions, replication factor 1. */
  private static String common(String bootstrap, String prefix, int streamThreads) {
    return common(bootstrap, prefix, streamThreads, Map.of());
  }

  /** @param streams more Kafka Streams properties ({@code kafka.streams}) */
  private static String common(String bootstrap, String prefix, int streamThreads, Map<String, String> streams) {
    StringBuilder more = new StringBuilder();
    streams.forEach((key, value) -> more.append("    ").append(key).append(": \"").append(value).append("\"\n"));
    return """
        kafka:
          bootstrapServers: %1$s
          applicationPrefix: %2$s
          streams:
            num.stream.threads: "%3$d"
        %4$stopics:
          requests: %2$s.requests
          completions: %2$s.completions
          progress: %2$s.progress
          deadLetter: %2$s.dlq
          tasks: %2$s.tasks
          dispatchResults: %2$s.results
          webhooks: %2$s.webhooks
          partitions: 3
          replicationFactor: 1
        """.formatted(bootstrap, prefix, streamThreads, more);
  }

  /**
   * A generic poll provider on the loopback upstream: no auth, the upstream's host listed exactly (the base URL's
   * host is allowed by default), Acquia's answer shape.
   */
  public static BridgeConfig poll(String bootstrap, String prefix, String upstreamBaseUrl, double jitter,
      int pollConcurrency, int dispatchConcurrency, int streamThreads) {
    return poll(bootstrap, prefix, upstreamBaseUrl, jitter, pollConcurrency, dispatchConcurrency, streamThreads, 5);
  }

  /** @param intervalSeconds every poll's interval (initial and maximum: no backoff) */
  public static BridgeConfig poll(String bootstrap, String prefix, String upstreamBaseUrl, double jitter,
      int pollConcurrency, int dispatchConcurrency, int streamThreads, int intervalSeconds) {
    String yaml = common(bootstrap, prefix, streamThreads) + """
        providers:
          %1$s:
            type: generic
            mode: poll
            baseUrl: %2$s/api
            auth: {type: none}
            notificationLinkPointer: /_links/notification/href
            defaultTimeout: PT2H
            status:
              pointer: /status
              progressPointer: /progress
              succeeded: [completed]
              failed: [failed]
              running: [in-progress]
            dispatch:
              concurrency: %5$d
              requestTimeout: PT10S
            poll:
              initialDelay: PT0S
              initialInterval: PT%6$dS
              multiplier: 1
              maxInterval: PT%6$dS
              jitter: %3$s
              requestTimeout: PT10S
              concurrency: %4$d
        """.formatted(PROVIDER, upstreamBaseUrl, String.format(Locale.ROOT, "%.3f", jitter), pollConcurrency,
        dispatchConcurrency, intervalSeconds);
    return new BridgeConfigLoader(Map.of()).parse("benchmark.yaml", yaml);
  }

  /** A Cloud Elements provider with the seed's signature, and the webhook endpoint on a loopback port. */
  public static BridgeConfig callbacks(String bootstrap, String prefix, String fakeUpstreamBaseUrl, int streamThreads) {
    return callbacks(bootstrap, prefix, fakeUpstreamBaseUrl, streamThreads, Map.of());
  }

  /** @param streams more Kafka Streams properties for the callbacks service, e.g. its commit interval */
  public static BridgeConfig callbacks(String bootstrap, String prefix, String fakeUpstreamBaseUrl, int streamThreads,
      Map<String, String> streams) {
    String yaml = common(bootstrap, prefix, streamThreads, streams) + """
        callbacks:
          host: 127.0.0.1
          port: 0
          publicBaseUrl: http://127.0.0.1:8080
          tokenSecret: benchmark-token-secret-0123456789
          maxBodyBytes: 65536
          ackTimeout: PT10S
          earlyWebhookRetention: PT10M
        providers:
          %1$s:
            type: cloud-elements
            baseUrl: %2$s/elements/api-v2
            authorization: User u, Element e
            signatureKey: %3$s
        """.formatted(CE_PROVIDER, fakeUpstreamBaseUrl, CE_KEY);
    return new BridgeConfigLoader(Map.of()).parse("benchmark.yaml", yaml);
  }
}
