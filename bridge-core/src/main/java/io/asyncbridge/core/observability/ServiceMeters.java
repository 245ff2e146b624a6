package io.asyncbridge.core.observability;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one service ({@code ingest}, {@code poller}, {@code callbacks}) in the process's registry. Every meter
 * carries the tag {@code service}, so services sharing one process stay apart. Provider tags take only configured
 * provider names; anything else (a request naming an unknown provider) counts as {@value #UNKNOWN}, so no input can
 * grow the number of series.
 */
public final class ServiceMeters {

  public static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final String service;
  private final Map<String, String> modes = new HashMap<>();
  private final Map<String, UpstreamMeters> upstream = new ConcurrentHashMap<>();
  private InFlightTasks inFlight;
  private CompletionMeters completions;

  public ServiceMeters(MeterRegistry registry, String service, BridgeConfig config) {
    this(registry, service, modes(config));
  }

  ServiceMeters(MeterRegistry registry, String service, Map<String, String> modes) {
    this.registry = registry;
    this.service = service;
    this.modes.putAll(modes);
  }

  private static Map<String, String> modes(BridgeConfig config) {
    Map<String, String> modes = new HashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      modes.put(provider.name(), provider.mode().name().toLowerCase(Locale.ROOT));
    }
    return modes;
  }

  /** Meters kept in a registry of their own: for tests and for code that runs a topology outside a service. */
  public static ServiceMeters detached(String service, BridgeConfig config) {
    return new ServiceMeters(new SimpleMeterRegistry(), service, config);
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
  public java.util.Set<String> providers() {
    return java.util.Collections.unmodifiableSet(modes.keySet());
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
   * A latency timer of calls to one provider, by outcome; with a percentile histogram (1 ms to 2 min), so that
   * quantiles can be computed across instances. Create it once and keep it: hot paths must not look meters up.
   */
  public io.micrometer.core.instrument.Timer timer(String name, String description, String provider, String outcome) {
    return io.micrometer.core.instrument.Timer.builder(name).description(description).tags(tags(provider))
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(java.time.Duration.ofMillis(1))
        .maximumExpectedValue(java.time.Duration.ofMinutes(2))
        .register(registry);
  }

  /** A gauge of calls in flight to one provider, read from the caller's own counter. */
  public void gauge(String name, String description, String provider, java.util.function.Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description).tags(tags(provider))
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

  /** The meters of calls to one provider's API (token refreshes, errors by kind). */
  public UpstreamMeters upstream(String provider) {
    return upstream.computeIfAbsent(provider(provider), name -> new UpstreamMeters(this, name));
  }
}
