package io.asyncbridge.core.status;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.http.HttpError;
import io.asyncbridge.schemas.task.TaskMode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers "where is task X?" the same on every instance. Each service's part is read where its key lives: for a
 * service this process runs, Kafka Streams' metadata ({@code queryMetadataForKey}, fed by every instance's
 * {@code application.server}) names the owner, and the part is read locally or asked of the owner; for a service
 * this process does not run, a peer that runs it routes the question the same way. Ended tasks come from the
 * recent completions every process tails.
 *
 * <p>Scopes of the internal API: {@code local} reads only what this instance owns (no further hop), {@code service}
 * routes within a service this process runs (one hop at most). So a question crosses at most two hops and never
 * loops.
 */
public final class TaskStatusQueries implements AutoCloseable {

  /** The order parts are asked in: ingest's part names the provider and correlation id the others may need. */
  static final List<String> SERVICES = List.of("ingest", "poller", "callbacks");
  static final String INTERNAL_PARTS = "/api/internal/parts/";
  static final String INTERNAL_IN_FLIGHT = "/api/internal/in-flight/";

  private final Vertx vertx;
  private final BridgeConfig config;
  private final TaskStatusRegistry registry;
  private final RecentCompletions recent;
  private final PeerClient peers;

  public TaskStatusQueries(Vertx vertx, BridgeConfig config, TaskStatusRegistry registry, RecentCompletions recent) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.recent = recent;
    this.peers = new PeerClient(vertx, config.management().authToken());
  }

  public RecentCompletions recent() {
    return recent;
  }

  /** The services whose parts a full answer needs, from the configured providers' modes. */
  List<String> expectedServices() {
    List<String> services = new ArrayList<>();
    services.add("ingest");
    if (config.hasMode(TaskMode.POLL)) {
      services.add("poller");
    }
    if (config.hasMode(TaskMode.CALLBACK)) {
      services.add("callbacks");
    }
    return services;
  }

  /** The full answer for a task, or null when no part and no recent completion knows it. */
  public Future<JsonObject> status(String taskId) {
    TaskStatusAnswer answer = new TaskStatusAnswer(taskId);
    recent.get(taskId).ifPresent(entry -> answer.completion(entry.completion()));
    List<String> services = expectedServices();
    return part("ingest", taskId, answer.hints(), "service")
        .map(part -> answer.part("ingest", part))
        .otherwise(failure -> answer.incomplete("ingest", failure))
        .compose(ignored -> {
          List<Future<TaskStatusAnswer>> rest = new ArrayList<>();
          for (String service : services.subList(1, services.size())) {
            rest.add(part(service, taskId, answer.hints(), "service")
                .map(part -> answer.part(service, part))
                .otherwise(failure -> answer.incomplete(service, failure)));
          }
          return Future.join(rest).otherwiseEmpty();
        })
        .map(ignored -> answer.known() ? answer.toJson() : answer.unknownButIncomplete());
  }

  /**
   * One service's part. {@code scope} {@code service}: route within the service (or ask a peer that runs it);
   * {@code local}: read only what this instance owns. The value is null when the part does not hold the task.
   */
  public Future<JsonObject> part(String service, String taskId, JsonObject hints, String scope) {
    Optional<TaskStatusSource> local = registry.source(service);
    if (local.isEmpty()) {
      if (!"service".equals(scope) || hints.getBoolean("forwarded", false)) {
        return Future.failedFuture(HttpError.notFound("not_served", "this process does not run " + service));
      }
      return askPeers(service, taskId, hints);
    }
    TaskStatusSource source = local.get();
    String key = source.keyOf(taskId, hints);
    if (key == null) {
      return Future.succeededFuture(null);
    }
    TaskStatusSource.Owner owner = source.ownerOf(key);
    if (owner == null) {
      return Future.failedFuture(HttpError.unavailable(service + " is starting or rebalancing; ask again in a moment"));
    }
    if (isSelf(owner.address())) {
      return source.readLocal(key, owner.partition());
    }
    if (!"service".equals(scope)) {
      return Future.failedFuture(HttpError.unavailable(service + ": the task's partition moved; ask again"));
    }
    MultiMap query = MultiMap.caseInsensitiveMultiMap().add("scope", "local");
    hints.forEach(hint -> query.add(hint.getKey(), String.valueOf(hint.getValue())));
    return peers.get(owner.address(), INTERNAL_PARTS + service + "/" + taskId, query)
        .compose(answer -> answer.status() == 200 ? Future.succeededFuture(answer.body().getJsonObject("part"))
            : Future.failedFuture(HttpError.unavailable(service + ": the owner answered " + answer.status())));
  }

  private Future<JsonObject> askPeers(String service, String taskId, JsonObject hints) {
    MultiMap query = MultiMap.caseInsensitiveMultiMap().add("scope", "service").add("forwarded", "true");
    hints.forEach(hint -> query.add(hint.getKey(), String.valueOf(hint.getValue())));
    return firstServing(new ArrayList<>(knownPeers()), INTERNAL_PARTS + service + "/" + taskId, query, service)
        .map(body -> body.getJsonObject("part"));
  }

  /** Tries peers in turn until one runs the service; fails when none does or none answers. */
  private Future<JsonObject> firstServing(List<String> candidates, String path, MultiMap query, String service) {
    if (candidates.isEmpty()) {
      return Future.failedFuture(HttpError.unavailable("no reachable instance runs " + service
          + " (running it in separate processes? list them in management.peers)"));
    }
    String peer = candidates.remove(0);
    return peers.get(peer, path, query).transform(result -> {
      if (result.succeeded() && result.result().status() == 200) {
        return Future.succeededFuture(result.result().body());
      }
      return firstServing(candidates, path, query, service);
    });
  }

  /** In-flight tasks of every expected service, newest first (by submission), at most {@code limit}. */
  public Future<JsonObject> inFlight(String provider, int limit) {
    List<Future<List<JsonObject>>> parts = new ArrayList<>();
    List<String> incomplete = new ArrayList<>();
    for (String service : expectedServices()) {
      parts.add(inFlight(service, provider, limit, "service", false).otherwise(failure -> {
        synchronized (incomplete) {
          incomplete.add(service);
        }
        return List.of();
      }));
    }
    return Future.join(parts).otherwiseEmpty().map(ignored -> {
      List<JsonObject> all = new ArrayList<>();
      parts.forEach(part -> all.addAll(part.result()));
      all.sort(Comparator.comparing((JsonObject task) -> String.valueOf(task.getString("submittedAt"))).reversed());
      JsonObject answer = new JsonObject().put("state", "in-flight").put("tasks", all.subList(0, Math.min(limit,
          all.size())));
      if (provider != null) {
        answer.put("provider", provider);
      }
      if (!incomplete.isEmpty()) {
        answer.put("incomplete", incomplete);
      }
      return answer;
    });
  }

  /** One service's in-flight tasks: of this instance only ({@code local}), or of all its instances. */
  public Future<List<JsonObject>> inFlight(String service, String provider, int limit, String scope,
      boolean forwarded) {
    Optional<TaskStatusSource> local = registry.source(service);
    MultiMap query = MultiMap.caseInsensitiveMultiMap().add("limit", Integer.toString(limit));
    if (provider != null) {
      query.add("provider", provider);
    }
    if (local.isEmpty()) {
      if (!"service".equals(scope) || forwarded) {
        return Future.failedFuture(HttpError.notFound("not_served", "this process does not run " + service));
      }
      query.add("scope", "service").add("forwarded", "true");
      return firstServing(new ArrayList<>(knownPeers()), INTERNAL_IN_FLIGHT + service, query, service)
          .map(body -> tasksOf(body));
    }
    TaskStatusSource source = local.get();
    if ("local".equals(scope)) {
      return source.inFlight(provider, limit);
    }
    List<Future<List<JsonObject>>> perInstance = new ArrayList<>();
    query.add("scope", "local");
    for (String instance : source.instances()) {
      if (isSelf(instance)) {
        continue;
      }
      perInstance.add(peers.get(instance, INTERNAL_IN_FLIGHT + service, query)
          .map(answer -> answer.status() == 200 ? tasksOf(answer.body()) : List.<JsonObject>of()));
    }
    perInstance.add(source.inFlight(provider, limit));
    return Future.all(perInstance).map(all -> {
      List<JsonObject> merged = new ArrayList<>();
      perInstance.forEach(one -> merged.addAll(one.result()));
      return merged;
    });
  }

  private static List<JsonObject> tasksOf(JsonObject body) {
    List<JsonObject> tasks = new ArrayList<>();
    var array = body.getJsonArray("tasks");
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        tasks.add(array.getJsonObject(i));
      }
    }
    return tasks;
  }

  /** Other processes' management endpoints: configured peers and every instance of the services run here. */
  Set<String> knownPeers() {
    Set<String> known = new LinkedHashSet<>(config.management().peers());
    for (TaskStatusSource source : registry.sources()) {
      try {
        known.addAll(source.instances());
      } catch (RuntimeException e) {
        // not running yet: only the configured peers
      }
    }
    registry.advertised().ifPresent(known::remove);
    return known;
  }

  private boolean isSelf(String address) {
    return registry.advertised().map(address::equals).orElse(false);
  }

  @Override
  public void close() {
    peers.close();
  }
}
