package io.asyncbridge.callbacks.status;

import io.asyncbridge.callbacks.correlation.CallbacksTopology;
import io.asyncbridge.callbacks.correlation.CorrelationKeys;
import io.asyncbridge.callbacks.correlation.CorrelationState;
import io.asyncbridge.core.status.NewestTasks;
import io.asyncbridge.core.status.StoreStatusSource;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The callbacks service's part of a task's status, and the only reader of its correlation stores outside the
 * topology: waiting for its webhook (with the correlation id and deadline; the waiting store), or an early webhook
 * held for it or the completed marker (the newest live entry of the held store). Entries live under the correlation
 * key ({@code <provider>|<correlationId>}, or {@code <provider>|task:<taskId>}), so the key comes from ingest's part.
 * The webhook's body is never shown.
 */
public final class CallbacksStatusSource extends StoreStatusSource {

  public CallbacksStatusSource(Vertx vertx, Supplier<KafkaStreams> streams) {
    super(vertx, "callbacks", CallbacksTopology.WAITING_STORE, streams, "the callbacks service is not running");
  }

  @Override
  public String keyOf(String taskId, JsonObject hints) {
    String provider = hints.getString("provider");
    if (provider == null) {
      return null;
    }
    String correlationId = hints.getString("correlationId");
    return correlationId == null ? CorrelationKeys.forTask(provider, taskId)
        : CorrelationKeys.forId(provider, correlationId);
  }

  @Override
  public Future<JsonObject> readLocal(String key, int partition) {
    return blocking(() -> {
      CorrelationState state = store(partition).get(key);
      if (state == null) {
        state = held(key, partition);
      }
      return state == null ? null : describe(state);
    });
  }

  @Override
  public Future<List<JsonObject>> inFlight(String provider, int limit) {
    return blocking(() -> {
      NewestTasks<CorrelationState> newest = new NewestTasks<>(limit,
          Comparator.comparing(state -> state.task().submittedAt()));
      scan(store(null).all(), (key, state) -> {
        if (state != null && state.task() != null && (provider == null || provider.equals(state.task().provider()))) {
          newest.offer(state);
        }
      });
      return newest.newestFirst(state -> waiting(state).put("taskId", state.task().taskId()));
    });
  }

  private ReadOnlyKeyValueStore<String, CorrelationState> store(Integer partition) {
    return keyValueStore(CallbacksTopology.WAITING_STORE, partition);
  }

  /** The newest live early webhook or completed marker under the key, or null. */
  private CorrelationState held(String key, int partition) {
    StoreQueryParameters<ReadOnlyWindowStore<String, CorrelationState>> query = StoreQueryParameters
        .fromNameAndType(CallbacksTopology.HELD_STORE, QueryableStoreTypes.<String, CorrelationState>windowStore())
        .withPartition(partition);
    Instant now = Instant.now();
    try (WindowStoreIterator<CorrelationState> newestFirst = running().store(query)
        .backwardFetch(key, Instant.EPOCH, now.plus(Duration.ofDays(1)))) {
      if (!newestFirst.hasNext()) {
        return null;
      }
      CorrelationState state = newestFirst.next().value;
      return state != null && state.dueAt().isAfter(now) ? state : null;
    }
  }

  static JsonObject describe(CorrelationState state) {
    String phase = state.phase().name().toLowerCase(Locale.ROOT);
    return switch (state.phase()) {
      case WAITING_FOR_WEBHOOK -> waiting(state);
      case EARLY_WEBHOOK -> new JsonObject().put("phase", phase).put("earlyWebhookHeld", true)
          .put("heldUntil", state.dueAt().toString());
      case COMPLETED -> new JsonObject().put("phase", phase).put("duplicatesRecognizedUntil", state.dueAt().toString());
    };
  }

  private static JsonObject waiting(CorrelationState state) {
    TaskAccepted task = state.task();
    JsonObject part = new JsonObject().put("phase", "waiting_for_webhook").put("state", "waiting_for_webhook")
        .put("earlyWebhookHeld", false)
        .put("provider", task.provider()).put("mode", "callback")
        .put("submittedAt", String.valueOf(task.submittedAt()))
        .put("acceptedAt", String.valueOf(task.acceptedAt()))
        .put("deadline", String.valueOf(task.deadline()))
        .put("metadata", new JsonObject(new java.util.TreeMap<String, Object>(task.metadata())));
    if (state.isCancelling()) {
      part.put("cancelling", true); // its cancel call is being made; the completion follows its answer
    }
    if (task.correlationId() != null) {
      part.put("correlationId", task.correlationId());
    }
    return part;
  }
}
