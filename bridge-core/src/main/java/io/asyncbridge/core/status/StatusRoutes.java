package io.asyncbridge.core.status;

import io.asyncbridge.core.config.Secret;
import io.asyncbridge.core.http.ErrorResponder;
import io.asyncbridge.core.http.HttpError;
import io.asyncbridge.schemas.Identifiers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The task status API and the web view on the management port:
 * <ul>
 *   <li>{@code GET /api/tasks/{taskId}}: where the task is (404 when unknown);</li>
 *   <li>{@code GET /api/tasks?state=in-flight&provider=P&limit=N}: in-flight tasks, newest first;</li>
 *   <li>{@code GET /api/overview}: what the web view shows (in-flight tasks, recent completions, rates);</li>
 *   <li>{@code GET /api/internal/...}: the parts other instances ask this one for;</li>
 *   <li>{@code GET /ui/}: the web view (static files from the jar).</li>
 * </ul>
 * With {@code management.authToken} every {@code /api/} request needs {@code Authorization: Bearer <token>} (401
 * otherwise). Every refusal has the JSON error shape of {@link ErrorResponder}.
 */
public final class StatusRoutes {

  public static final int MAX_LIMIT = 500;
  public static final int DEFAULT_LIMIT = 50;
  static final int MAX_URI_CHARS = 2_048;
  private static final Set<String> LIST_PARAMS = Set.of("state", "provider", "limit");
  private static final Set<String> SERVICES = Set.of("ingest", "poller", "callbacks");

  private final TaskStatusQueries queries;
  private final Optional<byte[]> token;
  private final WebView view = new WebView();

  public StatusRoutes(TaskStatusQueries queries, Optional<Secret> token) {
    this.queries = queries;
    this.token = token.map(Secret::bytes);
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route("/api/*").handler(this::guard);
    router.get("/api/tasks/:taskId").handler(this::task);
    router.get("/api/tasks").handler(this::list);
    router.get("/api/overview").handler(this::overview);
    router.get("/api/internal/parts/:service/:taskId").handler(this::internalPart);
    router.get("/api/internal/in-flight/:service").handler(this::internalInFlight);
    router.get("/ui/*").handler(ctx -> {
      if (ctx.request().path().equals("/ui")) {
        ctx.redirect("/ui/");
      } else {
        view.serve(ctx);
      }
    });
    router.route().failureHandler(new ErrorResponder());
    router.route().last().handler(ctx -> ctx.fail(404));
    return router;
  }

  /** Size first (a long URI is refused before it is parsed further), then the token, in constant time. */
  private void guard(RoutingContext ctx) {
    if (ctx.request().uri().length() > MAX_URI_CHARS) {
      ctx.fail(HttpError.badRequest("uri_too_long", "the request URI exceeds " + MAX_URI_CHARS + " characters"));
      return;
    }
    if (token.isPresent()) {
      String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
      byte[] presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
          ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
      if (!MessageDigest.isEqual(presented, token.get())) {
        ctx.fail(HttpError.unauthorized(header == null ? "this endpoint needs Authorization: Bearer <management.authToken>"
            : "the bearer token is not management.authToken"));
        return;
      }
    }
    ctx.next();
  }

  private void task(RoutingContext ctx) {
    String taskId = taskId(ctx);
    if (!ctx.queryParams().isEmpty()) {
      ctx.fail(HttpError.badRequest("unknown_parameter", "GET /api/tasks/<taskId> takes no parameters"));
      return;
    }
    reply(ctx, queries.status(taskId).map(answer -> {
      if (answer == null) {
        throw HttpError.notFound("unknown_task", "no task '" + taskId + "' is known: not at ingest, not in flight, and"
            + " not among the recent completions");
      }
      return answer;
    }));
  }

  private void list(RoutingContext ctx) {
    MultiMap params = ctx.queryParams();
    for (String name : params.names()) {
      if (!LIST_PARAMS.contains(name)) {
        ctx.fail(HttpError.badRequest("unknown_parameter", "unknown parameter '" + abbreviate(name)
            + "'; use state=in-flight, provider=<name>, limit=1.." + MAX_LIMIT));
        return;
      }
      if (params.getAll(name).size() > 1) {
        ctx.fail(HttpError.badRequest("repeated_parameter", "parameter '" + name + "' is given more than once"));
        return;
      }
    }
    String state = params.get("state");
    if (state != null && !state.equals("in-flight")) {
      ctx.fail(HttpError.badRequest("invalid_state", "state must be 'in-flight' (ended tasks: GET /api/tasks/<taskId>)"));
      return;
    }
    reply(ctx, queries.inFlight(provider(params), limit(params)));
  }

  private void overview(RoutingContext ctx) {
    MultiMap params = ctx.queryParams();
    for (String name : params.names()) {
      if (!name.equals("provider") && !name.equals("limit")) {
        ctx.fail(HttpError.badRequest("unknown_parameter", "unknown parameter '" + abbreviate(name) + "'"));
        return;
      }
    }
    String provider = provider(params);
    int limit = limit(params);
    RecentCompletions recent = queries.recent();
    reply(ctx, queries.inFlight(provider, limit).map(inFlight -> new JsonObject()
        .put("inFlight", inFlight)
        .put("recent", TaskStatusAnswer.array(recent.latest(limit, provider).stream()
            .map(RecentCompletions.Entry::summary).toList()))
        .put("perMinute", new JsonObject(new java.util.TreeMap<>(recent.perMinute(5))))
        .put("recentLoaded", recent.caughtUp())
        .put("at", java.time.Instant.now().toString())));
  }

  private void internalPart(RoutingContext ctx) {
    String service = service(ctx);
    String taskId = taskId(ctx);
    MultiMap params = ctx.queryParams();
    String scope = params.get("scope");
    if (!"local".equals(scope) && !"service".equals(scope)) {
      ctx.fail(HttpError.badRequest("invalid_scope", "scope must be local or service"));
      return;
    }
    JsonObject hints = new JsonObject();
    provider(params);
    for (String hint : List.of("provider", "correlationId")) {
      String value = params.get(hint);
      if (value != null) {
        if (value.length() > 512) {
          ctx.fail(HttpError.badRequest("invalid_" + hint, hint + " is too long"));
          return;
        }
        hints.put(hint, value);
      }
    }
    if ("true".equals(params.get("forwarded"))) {
      hints.put("forwarded", true);
    }
    reply(ctx, queries.part(service, taskId, hints, scope).map(part -> new JsonObject().put("part", part)));
  }

  private void internalInFlight(RoutingContext ctx) {
    String service = service(ctx);
    MultiMap params = ctx.queryParams();
    String scope = params.get("scope");
    if (!"local".equals(scope) && !"service".equals(scope)) {
      ctx.fail(HttpError.badRequest("invalid_scope", "scope must be local or service"));
      return;
    }
    reply(ctx, queries.inFlight(service, provider(params), limit(params), scope, "true".equals(params.get("forwarded")))
        .map(tasks -> new JsonObject().put("tasks", TaskStatusAnswer.array(tasks))));
  }

  private static String taskId(RoutingContext ctx) {
    String taskId = ctx.pathParam("taskId");
    if (!Identifiers.isTaskId(taskId)) {
      throw HttpError.badRequest("invalid_task_id", "a taskId is 1-128 of [A-Za-z0-9._:-]");
    }
    return taskId;
  }

  private static String service(RoutingContext ctx) {
    String service = ctx.pathParam("service");
    if (!SERVICES.contains(service)) {
      throw HttpError.badRequest("invalid_service", "service must be ingest, poller or callbacks");
    }
    return service;
  }

  private static String provider(MultiMap params) {
    String provider = params.get("provider");
    if (provider != null && !Identifiers.isProvider(provider)) {
      throw HttpError.badRequest("invalid_provider", "provider must be 1-64 of [A-Za-z0-9_-], starting with a letter"
          + " or digit");
    }
    return provider;
  }

  private static int limit(MultiMap params) {
    String text = params.get("limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_LIMIT) {
      throw HttpError.badRequest("invalid_limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
    return Integer.parseInt(text);
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> answer) {
    answer.onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(result.result().encode());
    });
  }

  private static String abbreviate(String text) {
    String printable = text.replaceAll("[^A-Za-z0-9._:-]", "?");
    return printable.length() <= 32 ? printable : printable.substring(0, 29) + "...";
  }
}
