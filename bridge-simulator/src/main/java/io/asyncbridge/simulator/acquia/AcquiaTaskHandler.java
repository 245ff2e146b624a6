package io.asyncbridge.simulator.acquia;

import io.asyncbridge.simulator.stats.SimulatorStats;
import io.asyncbridge.simulator.http.Replies;
import io.asyncbridge.simulator.idempotency.IdempotentReplays;
import io.asyncbridge.simulator.scenario.AttemptCounter;
import io.asyncbridge.simulator.scenario.Scenario;
import io.asyncbridge.simulator.scenario.ScenarioGrammar;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Any POST/PUT/PATCH/DELETE under {@code /api/}: accepts a task with 202 and a notification link (the seed's
 * shape), or misbehaves as the task's scenario asks.
 */
public final class AcquiaTaskHandler {

    /** Header that identifies retries of the same create call; without it the method, path and body do. */
    public static final String REQUEST_ID_HEADER = "X-Simulator-Request-Id";

    static final ScenarioGrammar GRAMMAR = ScenarioGrammar.of(
            List.of("success", "succeeded-word", "fail", "never", "reject", "unknown-word", "reset", "hang",
                    "bad-link", "no-link", "non-json"),
            List.of("duration", "lag404", "poll429", "poll5xx", "create429", "create5xx", "slow", "reset"));

    private static final Logger LOG = LoggerFactory.getLogger(AcquiaTaskHandler.class);
    private static final String AUTHOR_UUID = "55555555-dddd-4444-8888-777777777777";

    private final BearerCheck bearer;
    private final AcquiaTaskRegistry tasks;
    private final AttemptCounter attempts;
    private final SimulatorStats stats;
    private final Replies replies;
    private final String publicBaseUrl;
    private final long defaultDurationMillis;
    private final boolean logTasks;
    private final IdempotentReplays keys;

    AcquiaTaskHandler(BearerCheck bearer, AcquiaTaskRegistry tasks, AttemptCounter attempts, SimulatorStats stats,
                      Replies replies, String publicBaseUrl, long defaultDurationMillis, boolean logTasks) {
        this.bearer = bearer;
        this.tasks = tasks;
        this.attempts = attempts;
        this.stats = stats;
        this.replies = replies;
        this.publicBaseUrl = publicBaseUrl;
        this.defaultDurationMillis = defaultDurationMillis;
        this.logTasks = logTasks;
        this.keys = new IdempotentReplays(stats);
    }

    public void handle(RoutingContext ctx) {
        Scenario scenario;
        try {
            scenario = Scenario.parse(ctx.request().getHeader(Scenario.HEADER), GRAMMAR);
        } catch (IllegalArgumentException e) {
            replies.acquiaError(ctx, 400, "bad_simulator_scenario", e.getMessage());
            return;
        }
        if (!bearer.authorize(ctx)) {
            return;
        }
        stats.recordAcquiaCreate(scenario.key());
        if (keys.replay(ctx, replies)) {
            return; // a repeated Idempotency-Key: the first job's answer, no second job
        }
        long now = System.currentTimeMillis();
        long attempt = attempts.next(requestKey(ctx), now);
        if (scenario.appliesToAttempt("reset", attempt)) {
            replies.reset(ctx);
            return;
        }
        if (scenario.has("hang")) {
            return; // never answer: the client's own timeout must fire
        }
        replies.after(scenario.number("slow", 0), () -> answer(ctx, scenario, attempt));
    }

    private void answer(RoutingContext ctx, Scenario scenario, long attempt) {
        long tooMany = scenario.number("create429", 0);
        if (attempt <= tooMany) {
            ctx.response().putHeader("Retry-After", "1");
            replies.acquiaError(ctx, 429, "too_many_requests", "Rate limit exceeded, retry later (attempt " + attempt + ")");
            return;
        }
        if (attempt <= tooMany + scenario.number("create5xx", 0)) {
            replies.acquiaError(ctx, 503, "service_unavailable", "Temporarily unavailable (attempt " + attempt + ")");
            return;
        }
        if (scenario.has("reject")) {
            replies.acquiaError(ctx, 422, "validation_failed",
                    "The request was rejected: the simulator scenario 'reject' was asked for");
            return;
        }
        AcquiaTask task = newTask(ctx, scenario);
        tasks.add(task);
        if (logTasks) {
            LOG.info("acquia task {} accepted: {} {} scenario={} duration={}ms", task.uuid(), ctx.request().method(),
                    ctx.request().path(), scenario.key(), task.durationMillis());
        }
        if (scenario.has("non-json")) {
            ctx.response().setStatusCode(202).putHeader("Content-Type", "text/plain")
                    .end("Accepted <html>task " + task.uuid().substring(0, 8) + " queued}{");
            return;
        }
        Map<String, Object> accepted = accepted(ctx, scenario, task);
        keys.remember(ctx, 202, accepted);
        replies.json(ctx, 202, accepted);
    }

    private AcquiaTask newTask(RoutingContext ctx, Scenario scenario) {
        String noun = noun(ctx.request().path());
        String verb = verb(ctx.request().method().name());
        String name = bodyName(ctx);
        String description = name == null
                ? noun + " " + verb.toLowerCase(Locale.ROOT) + " through the API."
                : noun + " \"" + name + "\" " + verb.toLowerCase(Locale.ROOT) + ".";
        return new AcquiaTask(UUID.randomUUID().toString(), scenario, System.currentTimeMillis(),
                Math.max(1, scenario.number("duration", defaultDurationMillis)),
                noun.replace(" ", "") + verb, noun + " " + verb.toLowerCase(Locale.ROOT), description,
                publicBaseUrl, AUTHOR_UUID);
    }

    private Map<String, Object> accepted(RoutingContext ctx, Scenario scenario, AcquiaTask task) {
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", Map.of("href", publicBaseUrl + ctx.request().uri()));
        if (scenario.has("bad-link")) {
            // A link to the cloud metadata service: clients must not follow notification links off the API host.
            links.put("notification", Map.of("href", "http://169.254.169.254/latest/meta-data/api/notifications/" + task.uuid()));
        } else if (!scenario.has("no-link")) {
            links.put("notification", Map.of("href", publicBaseUrl + "/api/notifications/" + task.uuid()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", noun(ctx.request().path()) + " task accepted.");
        body.put("_links", links);
        return body;
    }

    private String bodyName(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            var node = replies.json().readTree(body.getBytes());
            return node != null && node.hasNonNull("name") ? node.get("name").asText() : null;
        } catch (java.io.IOException e) {
            return null; // a body that is not JSON has no name; the task is accepted anyway, as Acquia's proxy would
        }
    }

    private String requestKey(RoutingContext ctx) {
        String requestId = ctx.request().getHeader(REQUEST_ID_HEADER);
        if (requestId != null && !requestId.isBlank()) {
            return "id:" + requestId;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((ctx.request().method().name() + " " + ctx.request().uri() + "\n").getBytes(StandardCharsets.UTF_8));
            Buffer body = ctx.body().buffer();
            if (body != null) {
                digest.update(body.getBytes());
            }
            return "body:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** "databases" in /api/applications/{uuid}/databases becomes "Database". */
    static String noun(String path) {
        String[] segments = path.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            String segment = segments[i];
            if (!segment.isEmpty() && !segment.matches(".*\\d.*") && !segment.equals("actions") && !segment.equals("api")) {
                String singular = segment.endsWith("ies") ? segment.substring(0, segment.length() - 3) + "y"
                        : segment.endsWith("s") ? segment.substring(0, segment.length() - 1) : segment;
                String words = singular.replace('-', ' ').replace('_', ' ');
                return Character.toUpperCase(words.charAt(0)) + words.substring(1);
            }
        }
        return "Task";
    }

    static String verb(String method) {
        switch (method) {
            case "DELETE":
                return "Deleted";
            case "PUT":
            case "PATCH":
                return "Updated";
            default:
                return "Created";
        }
    }
}
