package io.asyncbridge.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

class DueIndexTest {

  private static KeyValueStore<String, String> store() {
    KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("due"),
        Serdes.String(), Serdes.String()).withLoggingDisabled().build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  @Test
  void returnsOnlyWhatIsDueInTimeOrder() {
    DueIndex index = new DueIndex(store());
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    index.schedule("late", now.plusSeconds(60));
    index.schedule("b", now.minusSeconds(1));
    index.schedule("a", now.minusSeconds(5));
    index.schedule("exact", now);

    assertThat(index.due(now, 100)).extracting(DueIndex.Due::id).containsExactly("a", "b", "exact");
    assertThat(index.due(now, 2)).extracting(DueIndex.Due::id).containsExactly("a", "b");
  }

  @Test
  void rescheduleMovesAnEntry() {
    DueIndex index = new DueIndex(store());
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    index.schedule("t", now.minusSeconds(1));

    index.reschedule("t", now.minusSeconds(1), now.plusSeconds(10));

    assertThat(index.due(now, 10)).isEmpty();
    assertThat(index.due(now.plusSeconds(10), 10)).extracting(DueIndex.Due::at).containsExactly(now.plusSeconds(10));
  }

  @Test
  void entriesMatchTheSubMillisecondTimesTheyWereScheduledFor() {
    DueIndex index = new DueIndex(store());
    Instant due = Instant.parse("2026-11-23T10:00:00.123456789Z");
    index.schedule("t", due);

    DueIndex.Due entry = index.due(due.plusSeconds(1), 10).get(0);

    assertThat(entry.at()).isNotEqualTo(due);
    assertThat(entry.matches(due)).isTrue();
    assertThat(entry.matches(due.plusMillis(1))).isFalse();
    index.unschedule("t", due);
    assertThat(index.due(due.plusSeconds(1), 10)).isEmpty();
  }

  @Test
  void keysSortByTimeAcrossDigitCounts() {
    assertThat(DueIndex.key(Instant.ofEpochMilli(999), "x")).isLessThan(DueIndex.key(Instant.ofEpochMilli(1000), "x"));
  }
}
