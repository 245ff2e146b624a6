package io.asyncbridge.callbacks.correlation;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Early webhooks and completed markers: entries that live for the retention ({@code earlyWebhookRetention}) after
 * they were written, in a window store whose retention drops whole segments. Nothing is deleted one by one: an
 * entry is written once, and a newer entry under the same key (the marker of a task an early webhook completed)
 * supersedes the older one. An entry is live until its {@link CorrelationState#dueAt()}, checked on every read, so
 * it is never seen after its retention even while its segment is still on disk.
 */
final class HeldEntries {

  private final WindowStore<String, CorrelationState> store;
  private final long retentionMillis;

  HeldEntries(WindowStore<String, CorrelationState> store, Duration retention) {
    this.store = store;
    this.retentionMillis = retention.toMillis();
  }

  /** The newest live entry under the key, or null. */
  CorrelationState latest(String key, Instant now) {
    long nowMillis = now.toEpochMilli();
    try (WindowStoreIterator<CorrelationState> newestFirst = store.backwardFetch(key, nowMillis - retentionMillis,
        nowMillis + retentionMillis)) {
      if (!newestFirst.hasNext()) {
        return null;
      }
      CorrelationState state = newestFirst.next().value;
      return state != null && state.dueAt().isAfter(now) ? state : null;
    }
  }

  /** Holds an entry written at {@code at} (its segment is dropped no earlier than {@code at} + retention). */
  void hold(String key, CorrelationState state, Instant at) {
    store.put(key, state, at.toEpochMilli());
  }
}
