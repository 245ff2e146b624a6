package io.asyncbridge.poller.status;

import io.asyncbridge.core.status.NewestTasks;
import io.asyncbridge.core.status.StoreStatusSource;
import io.asyncbridge.poller.state.PollTask;
import io.asyncbridge.poller.topology.PollerTopology;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The poller's part of a task's status: its record in the {@code poll-tasks} store (progress, deadline, 404 run,
 * Retry-After) and, from the owning processor's in-memory schedule, the next poll and the attempt. The notification
 * link is shown without its query (it can carry a signature).
 */
public final class PollStatusSource extends StoreStatusSource {

  /** How long a question waits for the processor's tick before the part is reported without its schedule. */
  static final Duration SCHEDULE_WAIT = Duration.ofSeconds(2);

  private final PollScheduleViews views;

  public PollStatusSource(Vertx vertx, Supplier<KafkaStreams> streams, PollScheduleViews views) {
    super(vertx, "poller", PollerTopology.TASKS_STORE, streams, "the poller is not running");
    this.views = views;
  }

  @Override
  public Future<JsonObject> readLocal(String key, int partition) {
    return this.<PollTask>blocking(() -> store(partition).get(key)).compose(task -> {
      if (task == null) {
        return Future.succeededFuture(null);
      }
      JsonObject part = describe(task);
      return views.ask(partition, key)
          .timeout(SCHEDULE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .map(snapshot -> withSchedule(part, snapshot))
          .otherwise(failure -> part.put("schedule", "unavailable: " + failure.getMessage()));
    });
  }

  static JsonObject withSchedule(JsonObject part, PollScheduleViews.Snapshot snapshot) {
    if (snapshot == null) {
      return part;
    }
    part.put("attempt", snapshot.attempt()).put("pollInFlight", snapshot.pollInFlight());
    // While a poll is out, the schedule holds its lease, not a next poll.
    if (!snapshot.pollInFlight()) {
      part.put("nextPollAt", Instant.ofEpochMilli(snapshot.nextPollAtMillis()).toString());
    }
    return part;
  }

  @Override
  public Future<List<JsonObject>> inFlight(String provider, int limit) {
    return blocking(() -> {
      NewestTasks<KeyValue<String, PollTask>> newest =
          new NewestTasks<>(limit, Comparator.comparingLong(entry -> entry.value.submittedAtMillis()));
      scan(store(null).all(), (taskId, task) -> {
        if (task != null && (provider == null || provider.equals(task.provider()))) {
          newest.offer(KeyValue.pair(taskId, task));
        }
      });
      return newest.newestFirst(entry -> describe(entry.value).put("taskId", entry.key));
    });
  }

  private ReadOnlyKeyValueStore<String, PollTask> store(Integer partition) {
    return keyValueStore(PollerTopology.TASKS_STORE, partition);
  }

  static JsonObject describe(PollTask task) {
    JsonObject part = new JsonObject()
        .put("state", "polling")
        .put("provider", task.provider())
        .put("mode", "poll")
        .put("submittedAt", Instant.ofEpochMilli(task.submittedAtMillis()).toString())
        .put("acceptedAt", task.acceptedAt().toString())
        .put("deadline", task.deadline().toString())
        .put("notification", withoutQuery(task.notificationUrl()))
        .put("progress", task.lastProgress())
        .put("metadata", new JsonObject(new java.util.TreeMap<String, Object>(task.metadata())));
    if (task.notFoundSinceMillis() > 0) {
      part.put("notFoundSince", Instant.ofEpochMilli(task.notFoundSinceMillis()).toString());
    }
    if (task.notBeforeMillis() > 0) {
      part.put("retryAfterUntil", Instant.ofEpochMilli(task.notBeforeMillis()).toString());
    }
    return part;
  }

  static String withoutQuery(String url) {
    if (url == null) {
      return null;
    }
    int cut = url.indexOf('?');
    int fragment = url.indexOf('#');
    if (fragment >= 0 && (cut < 0 || fragment < cut)) {
      cut = fragment;
    }
    String bare = cut < 0 ? url : url.substring(0, cut);
    // userinfo never reaches a stored link (the host policy refuses it), but never show one either
    int at = bare.indexOf('@');
    int scheme = bare.indexOf("://");
    if (at > 0 && scheme > 0 && at > scheme) {
      int slash = bare.indexOf('/', scheme + 3);
      if (slash < 0 || at < slash) {
        bare = bare.substring(0, scheme + 3) + bare.substring(at + 1);
      }
    }
    return bare;
  }
}
