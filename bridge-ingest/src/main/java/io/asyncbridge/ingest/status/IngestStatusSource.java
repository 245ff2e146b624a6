package io.asyncbridge.ingest.status;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.status.NewestTasks;
import io.asyncbridge.core.status.StoreStatusSource;
import io.asyncbridge.ingest.topology.IngestTask;
import io.asyncbridge.ingest.topology.IngestTopology;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Ingest's part of a task's status, read from its {@code ingest-tasks} store by interactive query: received or
 * dispatching (attempt, failures, next attempt, last error), or how it left ingest (handed over to which path, with
 * the upstream's correlation id; rejected; failed; timed out). The request's headers, query and body are never shown:
 * they may hold credentials of the caller's.
 */
public final class IngestStatusSource extends StoreStatusSource {

  private final BridgeConfig config;

  public IngestStatusSource(Vertx vertx, BridgeConfig config, Supplier<KafkaStreams> streams) {
    super(vertx, "ingest", IngestTopology.TASKS_STORE, streams, "ingest is not running");
    this.config = config;
  }

  @Override
  public Future<JsonObject> readLocal(String key, int partition) {
    return blocking(() -> {
      IngestTask task = this.<IngestTask>keyValueStore(IngestTopology.TASKS_STORE, partition).get(key);
      return task == null ? null : describe(task);
    });
  }

  /**
   * Tasks still at ingest, found through the due index rather than the task store: a task being dispatched is due
   * within a retry, a call's timeout or a GO's wait (or overdue), while the ended markers that fill the store are due
   * only when they expire, days later. So a range of the index up to a little past the longest of those waits holds
   * every task in flight and only the few markers expiring meanwhile.
   */
  @Override
  public Future<List<JsonObject>> inFlight(String provider, int limit) {
    return blocking(() -> {
      NewestTasks<KeyValue<String, IngestTask>> newest =
          new NewestTasks<>(limit, Comparator.comparing(entry -> entry.value.submittedAt()));
      Set<String> kept = new HashSet<>();
      ReadOnlyKeyValueStore<String, IngestTask> byId = keyValueStore(IngestTopology.TASKS_STORE, null);
      ReadOnlyKeyValueStore<String, String> dueIndex = keyValueStore(IngestTopology.DUE_STORE, null);
      String until = String.format("%013d|", Instant.now().plus(longestWait()).toEpochMilli());
      scan(dueIndex.range("", until), (due, taskId) -> {
        IngestTask task = taskId == null ? null : byId.get(taskId);
        if (task == null || task.state() == IngestTask.State.DONE || task.request() == null
            || kept.contains(taskId) || (provider != null && !provider.equals(task.request().provider()))) {
          return;
        }
        kept.add(taskId);
        KeyValue<String, IngestTask> left = newest.offer(KeyValue.pair(taskId, task));
        if (left != null) {
          kept.remove(left.key);
        }
      });
      return newest.newestFirst(entry -> describe(entry.value).put("taskId", entry.key));
    });
  }

  /** The longest a task at ingest waits for its next step: a retry's backoff, a call's answer, a GO read back. */
  private java.time.Duration longestWait() {
    java.time.Duration longest = java.time.Duration.ofMinutes(2);
    for (ProviderConfig provider : config.providers().values()) {
      longest = max(longest, provider.dispatch().maxBackoff());
      longest = max(longest, provider.dispatch().requestTimeout().plusSeconds(10));
    }
    return longest.plusMinutes(1);
  }

  private static java.time.Duration max(java.time.Duration a, java.time.Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The part as the API shows it. */
  JsonObject describe(IngestTask task) {
    JsonObject part = new JsonObject().put("submittedAt", text(task.submittedAt()));
    if (task.state() == IngestTask.State.DONE) {
      part.put("state", "ended").put("forgetsTaskIdAt", text(task.due()));
      IngestTask.Ended ended = task.ended();
      if (ended != null) {
        part.put("outcome", ended.outcome()).put("provider", ended.provider());
        if (ended.mode() != null) {
          part.put("mode", ended.mode().name().toLowerCase(Locale.ROOT));
        }
        if (ended.correlationId() != null) {
          part.put("correlationId", ended.correlationId());
        }
      }
      return part;
    }
    boolean untouched = task.state() == IngestTask.State.PENDING && task.attempt() == 0 && task.failures() == 0;
    part.put("state", untouched ? "received" : "dispatching")
        .put("step", task.state().name().toLowerCase(Locale.ROOT))
        .put("attempt", task.attempt())
        .put("failures", task.failures())
        .put("deadline", text(task.deadline()));
    if (task.request() != null) {
      String provider = task.request().provider();
      part.put("provider", provider).put("method", task.request().method().name());
      config.provider(provider).map(ProviderConfig::mode)
          .ifPresent(mode -> part.put("mode", mode.name().toLowerCase(Locale.ROOT)));
      part.put("metadata", new JsonObject(new java.util.TreeMap<String, Object>(task.request().metadata())));
    }
    if (task.state() == IngestTask.State.PENDING && task.failures() > 0) {
      part.put("nextAttemptAt", text(task.due()));
    } else if (task.state() == IngestTask.State.SENDING) {
      part.put("answerDueBy", text(task.due()));
    }
    if (task.lastError() != null) {
      part.put("lastError", task.lastError());
    }
    return part;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
