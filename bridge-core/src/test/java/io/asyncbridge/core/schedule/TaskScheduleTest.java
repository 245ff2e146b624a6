package io.asyncbridge.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskScheduleTest {

  @Test
  void tasksComeOutOfALaneInDueOrder() {
    TaskSchedule schedule = new TaskSchedule(1);
    schedule.schedule("c", 0, 300);
    schedule.schedule("a", 0, 100);
    schedule.schedule("b", 0, 200);

    List<String> order = new ArrayList<>();
    while (schedule.peek(0) != null) {
      String id = schedule.peek(0);
      order.add(id + "@" + schedule.nextDueAt(0));
      schedule.remove(id);
    }

    assertThat(order).containsExactly("a@100", "b@200", "c@300");
    assertThat(schedule.size()).isZero();
    assertThat(schedule.nextDueAt(0)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void schedulingAgainMovesTheTaskAndKeepsItsTag() {
    TaskSchedule schedule = new TaskSchedule(2);
    schedule.schedule("t", 0, 500);
    schedule.setTag("t", 7);
    schedule.schedule("u", 0, 400);

    schedule.schedule("t", 0, 100);
    assertThat(schedule.peek(0)).isEqualTo("t");
    schedule.schedule("t", 1, 900);

    assertThat(schedule.size()).isEqualTo(2);
    assertThat(schedule.peek(0)).isEqualTo("u");
    assertThat(schedule.laneOf("t")).isEqualTo(1);
    assertThat(schedule.dueAt("t")).isEqualTo(900);
    assertThat(schedule.tag("t")).isEqualTo(7);
    assertThat(schedule.nextDueAt()).isEqualTo(400);
  }

  @Test
  void anUnknownTaskIsReportedAsSuch() {
    TaskSchedule schedule = new TaskSchedule(1);
    schedule.schedule("known", 0, 1);

    assertThat(schedule.contains("unknown")).isFalse();
    assertThat(schedule.dueAt("unknown")).isEqualTo(TaskSchedule.NOT_SCHEDULED);
    assertThat(schedule.laneOf("unknown")).isEqualTo(-1);
    assertThat(schedule.setTag("unknown", 3)).isFalse();
    assertThat(schedule.remove("unknown")).isFalse();
    assertThat(schedule.size()).isEqualTo(1);
  }

  @Test
  void idsOutsideLatin1AreKeptAsTheyAre() {
    TaskSchedule schedule = new TaskSchedule(1);
    schedule.schedule("tâche-1", 0, 2);
    schedule.schedule("任务-1", 0, 1);

    assertThat(schedule.peek(0)).isEqualTo("任务-1");
    assertThat(schedule.dueAt("tâche-1")).isEqualTo(2);
    assertThat(schedule.contains("任务-2")).isFalse();
  }

  @Test
  void aLaneOutsideTheScheduleIsRefused() {
    TaskSchedule schedule = new TaskSchedule(2);

    assertThatThrownBy(() -> schedule.schedule("t", 2, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lane 2 outside 0..1");
    assertThatThrownBy(() -> new TaskSchedule(0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Thousands of random operations, checked after each against a plain map of the same tasks. */
  @Test
  void randomOperationsAgreeWithAPlainModel() {
    Random random = new Random(20261202L);
    TaskSchedule schedule = new TaskSchedule(3);
    Map<String, long[]> model = new HashMap<>(); // id -> {lane, due, tag}
    for (int step = 0; step < 60_000; step++) {
      String id = "task-" + random.nextInt(3_000);
      int operation = random.nextInt(10);
      if (operation < 5) {
        int lane = random.nextInt(3);
        long due = random.nextInt(1_000_000);
        schedule.schedule(id, lane, due);
        long[] entry = model.computeIfAbsent(id, ignored -> new long[3]);
        entry[0] = lane;
        entry[1] = due;
      } else if (operation < 7) {
        assertThat(schedule.remove(id)).isEqualTo(model.remove(id) != null);
      } else if (operation < 8) {
        int tag = random.nextInt();
        assertThat(schedule.setTag(id, tag)).isEqualTo(model.containsKey(id));
        if (model.containsKey(id)) {
          model.get(id)[2] = tag;
        }
      } else {
        int lane = random.nextInt(3);
        String head = schedule.peek(lane);
        long expectedDue = model.values().stream().filter(e -> e[0] == lane).mapToLong(e -> e[1]).min()
            .orElse(Long.MAX_VALUE);
        assertThat(schedule.nextDueAt(lane)).as("step %d", step).isEqualTo(expectedDue);
        if (head != null) {
          assertThat(model.get(head)[1]).isEqualTo(expectedDue);
          schedule.remove(head);
          model.remove(head);
        }
      }
      assertThat(schedule.size()).isEqualTo(model.size());
      long[] expected = model.get(id);
      assertThat(schedule.dueAt(id)).isEqualTo(expected == null ? TaskSchedule.NOT_SCHEDULED : expected[1]);
      if (expected != null) {
        assertThat(schedule.laneOf(id)).isEqualTo((int) expected[0]);
        assertThat(schedule.tag(id)).isEqualTo((int) expected[2]);
      }
    }
    // Drain every lane: each comes out in due order and holds exactly the model's tasks.
    for (int lane = 0; lane < 3; lane++) {
      int current = lane;
      List<long[]> expected = new ArrayList<>(model.values().stream().filter(e -> e[0] == current).toList());
      expected.sort(Comparator.comparingLong(e -> e[1]));
      for (long[] entry : expected) {
        assertThat(schedule.nextDueAt(lane)).isEqualTo(entry[1]);
        schedule.remove(schedule.peek(lane));
      }
      assertThat(schedule.peek(lane)).isNull();
    }
    assertThat(schedule.size()).isZero();
  }

  @Test
  void clearForgetsEverything() {
    TaskSchedule schedule = new TaskSchedule(1);
    for (int i = 0; i < 100; i++) {
      schedule.schedule("t" + i, 0, i);
    }

    schedule.clear();
    schedule.schedule("t5", 0, 42);

    assertThat(schedule.size()).isEqualTo(1);
    assertThat(schedule.contains("t6")).isFalse();
    assertThat(schedule.peek(0)).isEqualTo("t5");
  }

  @Test
  void aMillionTasksCostUnder90BytesEach() {
    int tasks = 1_000_000;
    TaskSchedule schedule = new TaskSchedule(1);
    for (int i = 0; i < tasks; i++) {
      schedule.schedule(String.format("task-%015d", i), 0, i % 200_000); // 20-character ids
    }

    double perTask = (double) schedule.approximateBytes() / tasks;

    assertThat(schedule.size()).isEqualTo(tasks);
    assertThat(perTask).as("bytes per task").isLessThan(90);
    assertThat(schedule.dueAt("task-000000000999999")).isEqualTo(999_999 % 200_000);
  }
}
