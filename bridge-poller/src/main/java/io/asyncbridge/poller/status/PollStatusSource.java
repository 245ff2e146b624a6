package io.asyncbridge.poller.status;

import io.asyncbridge.core.status.TaskStatusSource;
import io.asyncbridge.poller.state.PollTask;
import io.asyncbridge.poller.topology.PollerTopology;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The poller's part of a task's status: its record in the {@code poll-tasks} store (progress, deadline, 404 run,
 * Retry-After) and, from the owning processor's in-memory schedule, the next poll and the attempt. The notification
 * link is shown without its query (it can carry a signature).
 */
public final class PollStatusSource implements TaskStatusSource {

  /** How long a question waits for the processor's tick before the part is reported without its schedule. */
  static final Duration SCHEDULE_WAIT = Duration.ofSeconds(2);
  static final int MAX_SCANNED = 200_000;

  private final Vertx vertx;
  private final Supplier<KafkaStreams> streams;
  private final PollScheduleViews views;

  public PollStatusSource(Vertx vertx, Supplier<KafkaStreams> streams, PollScheduleViews views) {
    this.vertx = vertx;
    this.streams = streams;
    this.views = views;
  }

  @Override
  public String service() {
    return "poller";
  }

  @Override
  public KafkaStreams streams() {
    return streams.get();
  }

  @Override
  public String store() {
    return PollerTopology.TASKS_STORE;
  }

  @Override
  public Future<JsonObject> readLocal(String key, int partition) {
    return vertx.<PollTask>executeBlocking(() -> store(partition).get(key), false).compose(task -> {
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
    return vertx.executeBlocking(() -> {
      PriorityQueue<java.util.Map.Entry<String, PollTask>> newest = new PriorityQueue<>(
          Comparator.comparingLong(entry -> entry.getValue().submittedAtMillis()));
      int scanned = 0;
      try (KeyValueIterator<String, PollTask> all = store(null).all()) {
        while (all.hasNext() && scanned++ < MAX_SCANNED) {
          var entry = all.next();
          if (entry.value == null || (provider != null && !provider.equals(entry.value.provider()))) {
            continue;
          }
          newest.add(java.util.Map.entry(entry.key, entry.value));
          if (newest.size() > limit) {
            newest.poll();
          }
        }
      }
      List<JsonObject> tasks = new ArrayList<>();
      while (!newest.isEmpty()) {
        var entry = newest.poll();
        tasks.add(0, describe(entry.getValue()).put("taskId", entry.getKey()));
      }
      return tasks;
    }, false);
  }

  private ReadOnlyKeyValueStore<String, PollTask> store(Integer partition) {
    KafkaStreams running = streams.get();
    if (running == null) {
      throw new IllegalStateException("the poller is not running");
    }
    StoreQueryParameters<ReadOnlyKeyValueStore<String, PollTask>> query = StoreQueryParameters
        .fromNameAndType(PollerTopology.TASKS_STORE, QueryableStoreTypes.<String, PollTask>keyValueStore());
    return running.store(partition == null ? query : query.withPartition(partition));
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
