package io.asyncbridge.ingest.topology;

import io.asyncbridge.core.observability.CompletionMeters;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.schemas.Completion;
import io.micrometer.core.instrument.Counter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ingest's meters in its topology: completions it emits ({@code bridge_completions_total{service="ingest"}}) and
 * requests it dead-letters ({@value #DEAD_LETTERS}, by error code). Counted inside the exactly-once transaction, so a
 * retried transaction counts again. Error codes come from the bridge's own fixed list, never from the input.
 */
public final class IngestMeters {

  public static final String DEAD_LETTERS = "bridge.dead.letters";
  public static final String CANCELS_IGNORED = "bridge.cancels.ignored";
  public static final String CANCELS_FORWARDED = "bridge.cancels.forwarded";

  private final ServiceMeters meters;
  private final CompletionMeters completions;
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Map<String, Counter> cancelsIgnored = new ConcurrentHashMap<>();
  private Counter cancelsForwarded;

  public IngestMeters(ServiceMeters meters) {
    this.meters = meters;
    this.completions = meters.completions();
  }

  public ServiceMeters service() {
    return meters;
  }

  void completed(Completion completion, io.asyncbridge.schemas.trace.TraceContext trace) {
    completions.completed(completion, trace);
  }

  void deadLettered(String code) {
    Counter counter = deadLetters.get(code);
    if (counter == null) {
      counter = deadLetters.computeIfAbsent(code, tag -> Counter.builder(DEAD_LETTERS).tag("service", meters.service())
          .tag("code", tag).description("requests written to the dead-letter topic, by error code")
          .register(meters.registry()));
    }
    counter.increment();
  }

  /** A cancel that changed nothing: {@code unknown} task, task already {@code ended}, or {@code handed_over}. */
  void cancelIgnored(String why) {
    cancelsIgnored.computeIfAbsent(why, tag -> Counter.builder(CANCELS_IGNORED).tag("service", meters.service())
        .tag("reason", tag).description("cancels that changed nothing, by why").register(meters.registry()))
        .increment();
  }

  /** A cancel of a handed-over task, passed to the service that follows it. */
  synchronized void cancelForwarded() {
    if (cancelsForwarded == null) {
      cancelsForwarded = Counter.builder(CANCELS_FORWARDED).tag("service", meters.service())
          .description("cancels passed to the poller or the callbacks service").register(meters.registry());
    }
    cancelsForwarded.increment();
  }

  /** For tests. */
  public double cancelsForwarded() {
    return cancelsForwarded == null ? 0 : cancelsForwarded.count();
  }

  /** For tests. */
  public double cancelsIgnored(String why) {
    Counter counter = cancelsIgnored.get(why);
    return counter == null ? 0 : counter.count();
  }

  /** For tests. */
  public double deadLetters(String code) {
    Counter counter = deadLetters.get(code);
    return counter == null ? 0 : counter.count();
  }
}
