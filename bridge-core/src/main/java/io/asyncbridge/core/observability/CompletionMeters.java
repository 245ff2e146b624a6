package io.asyncbridge.core.observability;

import io.asyncbridge.core.trace.BridgeTracing;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.trace.TraceContext;
import io.micrometer.core.instrument.Counter;
import java.util.HashMap;
import java.util.Map;

/**
 * The counter {@value #NAME} ({@code service}, {@code provider}, {@code mode}, {@code status}): completions a service
 * emitted. Counted in Kafka Streams processors, so a transaction that aborts and is retried counts its completions
 * again: the counter can run slightly ahead of what a read_committed consumer sees, never behind.
 */
public final class CompletionMeters {

  public static final String NAME = "bridge.completions";

  private final ServiceMeters meters;
  private final Map<String, Counter[]> byProvider = new HashMap<>();

  CompletionMeters(ServiceMeters meters) {
    this.meters = meters;
    for (String provider : meters.providers()) {
      byProvider.put(provider, counters(provider));
    }
    byProvider.put(ServiceMeters.UNKNOWN, counters(ServiceMeters.UNKNOWN));
  }

  private Counter[] counters(String provider) {
    CompletionStatus[] statuses = CompletionStatus.values();
    Counter[] counters = new Counter[statuses.length];
    for (CompletionStatus status : statuses) {
      counters[status.ordinal()] = Counter.builder(NAME).tags(meters.tags(provider)).tag("status", status.wireName())
          .description("completions emitted (EOS attempts: an aborted and retried transaction counts again)")
          .register(meters.registry());
    }
    return counters;
  }

  public void completed(Completion completion) {
    byProvider.get(meters.provider(completion.provider()))[completion.status().ordinal()].increment();
  }

  /** Counts the completion and, for a traced task, emits its {@code completion} span (see {@link BridgeTracing}). */
  public void completed(Completion completion, TraceContext trace) {
    completed(completion);
    if (trace != null) {
      meters.tracing().completion(completion, trace);
    }
  }

  /** How many completions of this provider and status were counted (for tests). */
  public double count(String provider, CompletionStatus status) {
    return byProvider.get(meters.provider(provider))[status.ordinal()].count();
  }
}
