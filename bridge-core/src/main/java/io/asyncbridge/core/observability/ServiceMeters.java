package io.asyncbridge.core.observability;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.TracingSettings;
import io.asyncbridge.core.trace.BridgeTracing;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The meters of one service ({@code ingest}, {@code poller}, {@code callbacks}) in the process's registry. Every meter
 * carries the tag {@code service}, so services sharing one process stay apart. Provider tags take only configured
 * provider names; anything else (a request naming an unknown provider) counts as {@value #UNKNOWN}, so no input can
 * grow the number of series.
 */
public final class ServiceMeters {

  public static final String UNKNOWN = "unknown";

  /** Histogram bucket bounds of upstream call latencies: 13 buckets from a fast answer to a timed-out call. */
  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private final MeterRegistry registry;
  private final String service;
  private final Map<String, String> modes = new HashMap<>();
  private final TracingSettings tracingSettings;
  private InFlightTasks inFlight;
  private CompletionMeters completions;
  private BridgeTracing tracing;

  public ServiceMeters(MeterRegistry registry, String service, BridgeConfig config) {
    this(registry, service, modes(config), config.tracing());
  }

  ServiceMeters(MeterRegistry registry, String service, Map<String, String> modes) {
    this(registry, service, modes, TracingSettings.off());
  }

  private ServiceMeters(MeterRegistry registry, String service, Map<String, String> modes, TracingSettings tracing) {
    this.registry = registry;
    this.service = service;
    this.modes.putAll(modes);
    this.tracingSettings = tracing;
  }

  private static Map<String, String> modes(BridgeConfig config) {
    Map<String, String> modes = new HashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      modes.put(provider.name(), provider.mode().name().toLowerCase(Locale.ROOT));
    }
    return modes;
  }

  /**
   * Meters in a registry nobody scrapes, for tests only. A service gets its meters from
   * {@code ServiceContext.meters(name)}; a tool or benchmark passes the registry it reads.
   */
  public static ServiceMeters forTests(String service, BridgeConfig config) {
    return new ServiceMeters(new SimpleMeterRegistry(), service, config);
  }

  /** As {@link #forTests(String, BridgeConfig)} without providers (tests only): every provider counts as unknown. */
  public static ServiceMeters forTests(String service) {
    return new ServiceMeters(new SimpleMeterRegistry(), service, Map.of());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public String service() {
    return service;
  }

  /** The provider's name as a tag value: a configured provider, else {@value #UNKNOWN}. */
  public String provider(String name) {
    return name != null && modes.containsKey(name) ? name : UNKNOWN;
  }

  /** The configured providers, for meters created up front. */
  public Set<String> providers() {
    return Collections.unmodifiableSet(modes.keySet());
  }

  /** {@code poll} or {@code callback}; {@value #UNKNOWN} for a provider that is not configured. */
  public String mode(String provider) {
    return modes.getOrDefault(provider, UNKNOWN);
  }

  /** {@code service}, {@code provider} and {@code mode}. */
  public Tags tags(String provider) {
    String tag = provider(provider);
    return Tags.of("service", service, "provider", tag, "mode", mode(tag));
  }

  /**
   * A latency timer of calls to one provider, by outcome, with fixed histogram buckets (5 ms to 60 s), so that
   * quantiles can be computed across instances at a bounded number of series. Create it once and keep it: hot paths
   * must not look meters up.
   */
  public Timer timer(String name, String description, String provider, String outcome) {
    return Timer.builder(name).description(description).tags(tags(provider))
        .tag("outcome", outcome)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  /** A gauge of calls in flight to one provider, read from the caller's own counter. */
  public void gauge(String name, String description, String provider, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tags(tags(provider))
        .strongReference(true).register(registry);
  }

  public synchronized InFlightTasks inFlight() {
    if (inFlight == null) {
      inFlight = new InFlightTasks(this);
    }
    return inFlight;
  }

  public synchronized CompletionMeters completions() {
    if (completions == null) {
      completions = new CompletionMeters(this);
    }
    return completions;
  }

  /**
   * The service's spans (OpenTelemetry, {@code observability.tracing}): created on first use, a tracing that records
   * nothing when tracing is off. {@link #closeTracing()} sends what is batched.
   */
  public synchronized BridgeTracing tracing() {
    if (tracing == null) {
      tracing = BridgeTracing.create(tracingSettings, service);
    }
    return tracing;
  }

  /** Sends the spans still batched and stops tracing (at the service's stop). */
  public synchronized void closeTracing() {
    if (tracing != null) {
      tracing.close();
    }
  }

}
