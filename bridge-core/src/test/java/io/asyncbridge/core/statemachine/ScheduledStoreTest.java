package io.asyncbridge.core.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class ScheduledStoreTest {

  private static KeyValueStore<String, String> store() {
    KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("tasks"),
        Serdes.String(), Serdes.String()).withLoggingDisabled().build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  private static ScheduledStore<String> empty(KeyValueStore<String, String> store, int lanes) {
    return ScheduledStore.restore(store, lanes, 0, (id, value, now) -> {
      throw new AssertionError("nothing to restore");
    });
  }

  @Test
  void restoreSchedulesEveryStoredTaskWhereThePlacerSays() {
    KeyValueStore<String, String> store = store();
    store.put("a", "lane0-at-50");
    store.put("b", "lane1-at-10");
    List<String> seen = new ArrayList<>();

    ScheduledStore<String> tasks = ScheduledStore.restore(store, 2, 7, (id, value, now) -> {
      seen.add(id + "@" + now);
      return value.startsWith("lane0") ? new ScheduledStore.Placement(0, 50) : new ScheduledStore.Placement(1, 10);
    });

    assertThat(seen).containsExactlyInAnyOrder("a@7", "b@7");
    assertThat(tasks.schedule().dueAt("a")).isEqualTo(50);
    assertThat(tasks.schedule().laneOf("b")).isEqualTo(1);
    assertThat(tasks.nextDue(0, 49)).isNull();
    assertThat(tasks.nextDue(0, 50)).isEqualTo(new ScheduledStore.Due<>("a", "lane0-at-50"));
  }

  @Test
  void putAndRemoveKeepStoreAndScheduleInStep() {
    KeyValueStore<String, String> store = store();
    ScheduledStore<String> tasks = empty(store, 1);

    tasks.put("t", "v1", 0, 100);
    assertThat(store.get("t")).isEqualTo("v1");
    assertThat(tasks.contains("t")).isTrue();

    assertThat(tasks.remove("t")).isTrue();
    assertThat(store.get("t")).isNull();
    assertThat(tasks.contains("t")).isFalse();
    assertThat(tasks.remove("t")).as("a second remove finds nothing").isFalse();
  }

  @Test
  void updateWritesStateAndRescheduleMovesTimeWithoutTheOther() {
    KeyValueStore<String, String> store = store();
    ScheduledStore<String> tasks = empty(store, 1);
    tasks.put("t", "v1", 0, 100);
    tasks.schedule().setTag("t", 6);

    tasks.update("t", "v2");
    assertThat(tasks.schedule().dueAt("t")).isEqualTo(100);
    tasks.reschedule("t", 0, 300);

    assertThat(store.get("t")).isEqualTo("v2");
    assertThat(tasks.schedule().dueAt("t")).isEqualTo(300);
    assertThat(tasks.schedule().tag("t")).as("the tag stays with the task").isEqualTo(6);
  }

  @Test
  void nextDueAnswersTheEarliestDueTaskAndLeavesItScheduled() {
    ScheduledStore<String> tasks = empty(store(), 1);
    tasks.put("late", "l", 0, 500);
    tasks.put("early", "e", 0, 100);

    assertThat(tasks.nextDue(0, 99)).isNull();
    assertThat(tasks.nextDue(0, 100).id()).isEqualTo("early");
    assertThat(tasks.nextDue(0, 100).id()).as("still scheduled until the caller moves it").isEqualTo("early");
    tasks.reschedule("early", 0, 1_000);
    assertThat(tasks.nextDue(0, 600).id()).isEqualTo("late");
  }

  @Test
  void nextDueDropsAScheduleEntryWhoseTaskIsNotStored() {
    KeyValueStore<String, String> store = store();
    ScheduledStore<String> tasks = empty(store, 1);
    tasks.put("gone", "g", 0, 10);
    tasks.put("here", "h", 0, 20);
    store.delete("gone"); // behind the scheduled store's back

    assertThat(tasks.nextDue(0, 30).id()).isEqualTo("here");
    assertThat(tasks.contains("gone")).isFalse();
  }
}
