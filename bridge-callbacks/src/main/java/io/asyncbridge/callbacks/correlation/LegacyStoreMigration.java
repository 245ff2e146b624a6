package io.asyncbridge.callbacks.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the entries of the store layout before the time-bounded one (every state in one key-value store, expiries in
 * a changelogged due index) into the current stores, the first time a stream task starts after an upgrade: waiting
 * tasks to the waiting store, live early webhooks and completed markers to the held entries at the time they were
 * written (their expiry minus the retention, at most now), and nothing that has already expired. Each moved entry is
 * deleted from the old store in the same transaction as its new copy, so a crash during the move repeats only what
 * was not committed. Afterwards the old store is empty and this costs one empty scan per start.
 */
final class LegacyStoreMigration {

  private static final Logger LOG = LoggerFactory.getLogger(LegacyStoreMigration.class);

  private LegacyStoreMigration() {
  }

  /** @return how many entries were moved (expired ones are only deleted) */
  static int migrate(KeyValueStore<String, CorrelationState> legacy, KeyValueStore<String, CorrelationState> waiting,
      HeldEntries held, Duration retention, Instant now) {
    List<KeyValue<String, CorrelationState>> entries = new ArrayList<>();
    try (KeyValueIterator<String, CorrelationState> all = legacy.all()) {
      all.forEachRemaining(entries::add);
    }
    if (entries.isEmpty()) {
      return 0;
    }
    int moved = 0;
    for (KeyValue<String, CorrelationState> entry : entries) {
      CorrelationState state = entry.value;
      if (state != null) {
        if (state.phase() == CorrelationState.Phase.WAITING_FOR_WEBHOOK) {
          if (waiting.get(entry.key) == null) {
            waiting.put(entry.key, state);
          }
          moved++;
        } else if (state.dueAt().isAfter(now)) {
          // Written at its expiry minus the retention; not later than now, should the retention have been shortened.
          Instant written = state.dueAt().minus(retention);
          held.hold(entry.key, state, written.isAfter(now) ? now : written);
          moved++;
        }
      }
      legacy.delete(entry.key);
    }
    LOG.info("moved {} of {} correlation entries from the store layout before the upgrade ({} had expired)", moved,
        entries.size(), entries.size() - moved);
    return moved;
  }
}
