package io.asyncbridge.poller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.poller.state.PollTask;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollScheduleViewsTest {

  @Test
  void aQuestionIsAnsweredOnTheProcessorsNextTickFromItsSchedule() {
    PollScheduleViews views = new PollScheduleViews();
    PollScheduleViews.Partition partition = views.register(2);

    Future<PollScheduleViews.Snapshot> known = views.ask(2, "t-1");
    Future<PollScheduleViews.Snapshot> unknown = views.ask(2, "t-2");
    assertThat(known.isComplete()).as("nothing reads the schedule off the stream thread").isFalse();

    partition.answer(taskId -> taskId.equals("t-1") ? new PollScheduleViews.Snapshot(5_000, 3, false) : null);

    assertThat(known.result()).isEqualTo(new PollScheduleViews.Snapshot(5_000, 3, false));
    assertThat(unknown.succeeded()).isTrue();
    assertThat(unknown.result()).isNull();
  }

  @Test
  void aQuestionForAPartitionThatIsNotHereOrThatMovesFails() {
    PollScheduleViews views = new PollScheduleViews();
    assertThat(views.ask(0, "t-1").failed()).isTrue();

    PollScheduleViews.Partition partition = views.register(0);
    Future<PollScheduleViews.Snapshot> waiting = views.ask(0, "t-1");
    views.unregister(0, partition);

    assertThat(waiting.failed()).isTrue();
    assertThat(views.ask(0, "t-1").failed()).isTrue();
  }

  @Test
  void thePartShowsTheScheduleAndNoQueryOfTheNotificationLink() {
    PollTask task = new PollTask("acquia", "https://user:pw@cloud.acquia.com/api/notifications/n-1?sig=abc#x", 1_000,
        2_000, 3_600_000, 202, Map.of("team", "blue"), 1, 40, 0, 0);

    JsonObject inFlight = PollStatusSource.withSchedule(PollStatusSource.describe(task),
        new PollScheduleViews.Snapshot(10_000, 2, false));
    JsonObject leased = PollStatusSource.withSchedule(PollStatusSource.describe(task),
        new PollScheduleViews.Snapshot(10_000, 3, true));

    assertThat(inFlight.getString("notification")).isEqualTo("https://cloud.acquia.com/api/notifications/n-1");
    assertThat(inFlight.getInteger("progress")).isEqualTo(40);
    assertThat(inFlight.getString("nextPollAt")).isEqualTo("1970-01-01T00:00:10Z");
    assertThat(inFlight.getInteger("attempt")).isEqualTo(2);
    assertThat(leased.getBoolean("pollInFlight")).isTrue();
    assertThat(leased.containsKey("nextPollAt")).as("a lease is not a next poll").isFalse();
  }
}
