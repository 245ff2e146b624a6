package io.asyncbridge.simulator.lro;

import io.asyncbridge.simulator.http.Replies;
import io.asyncbridge.simulator.scenario.Scenario;
import io.asyncbridge.simulator.scenario.ScenarioGrammar;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * What both simulated long-running-operation APIs share: the create call and the status poll with the faults a
 * scenario asks for (resets, hangs, slow answers, 429 with Retry-After and 503 on create or poll, 404 while the
 * status lags), and a static credential. The two dialects say how to accept, refuse and report.
 */
abstract class LroApi {

    private static final Logger LOG = LoggerFactory.getLogger(LroApi.class);

    /** Words both APIs understand; each API adds its own. */
    static final String[] COMMON_FLAGS = {"success", "fail", "cancel", "never", "reject", "reset", "hang", "sync",
        "sync-fail", "error-string"};
    static final String[] COMMON_NUMBERS = {"duration", "lag404", "poll429", "poll5xx", "create429", "create5xx",
        "slow", "reset", "retry-after"};

    final Replies replies;
    final LroOperations operations;
    private final CreateAttempts attempts;
    private final long defaultDurationMillis;
    private final boolean logTasks;

    LroApi(Replies replies, LroOperations operations, CreateAttempts attempts, long defaultDurationMillis,
           boolean logTasks) {
        this.replies = replies;
        this.operations = operations;
        this.attempts = attempts;
        this.defaultDurationMillis = defaultDurationMillis;
        this.logTasks = logTasks;
    }

    abstract ScenarioGrammar grammar();

    /** Answers 401 itself unless the request carries the API's credential. */
    abstract boolean authorized(RoutingContext ctx);

    /** The API's own error body. */
    abstract void error(RoutingContext ctx, int status, String code, String message);

    /** The accept answer of a new operation (or, for {@code sync}, its final answer at once). */
    abstract void accepted(RoutingContext ctx, Scenario scenario, LroOperation operation);

    /** The answer of a status URL for an operation that exists and is not lagging. */
    @FunctionalInterface
    interface StatusAnswer {
        void answer(RoutingContext ctx, LroOperation operation, int poll, long nowMillis);
    }

    abstract String name();

    final void create(RoutingContext ctx) {
        Scenario scenario;
        try {
            scenario = Scenario.parse(ctx.request().getHeader(Scenario.HEADER), grammar());
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "BadSimulatorScenario", e.getMessage());
            return;
        }
        if (!authorized(ctx)) {
            return;
        }
        operations.recordCreate(scenario.key());
        long attempt = attempts.next(ctx, System.currentTimeMillis());
        if (scenario.appliesToAttempt("reset", attempt)) {
            replies.reset(ctx);
            return;
        }
        if (scenario.has("hang")) {
            return; // never answer: the client's own timeout must fire
        }
        replies.after(scenario.number("slow", 0), () -> answerCreate(ctx, scenario, attempt));
    }

    private void answerCreate(RoutingContext ctx, Scenario scenario, long attempt) {
        long tooMany = scenario.number("create429", 0);
        if (attempt <= tooMany) {
            ctx.response().putHeader("Retry-After", "1");
            error(ctx, 429, "TooManyRequests", "Rate limit exceeded, retry later (attempt " + attempt + ")");
            return;
        }
        if (attempt <= tooMany + scenario.number("create5xx", 0)) {
            error(ctx, 503, "ServiceUnavailable", "Temporarily unavailable (attempt " + attempt + ")");
            return;
        }
        if (scenario.has("reject")) {
            error(ctx, 400, "InvalidRequest", "The request was rejected: the simulator scenario 'reject' was asked for");
            return;
        }
        String target = ctx.request().path();
        LroOperation operation = new LroOperation(UUID.randomUUID().toString(), scenario, System.currentTimeMillis(),
                Math.max(1, scenario.number("duration", defaultDurationMillis)), target);
        operations.add(operation);
        if (logTasks) {
            LOG.info("{} operation {} accepted: {} {} scenario={} duration={}ms", name(), operation.id(),
                    ctx.request().method(), target, scenario.key(), operation.durationMillis());
        }
        scenario.number("retry-after").ifPresent(seconds -> ctx.response().putHeader("Retry-After", Long.toString(seconds)));
        accepted(ctx, scenario, operation);
    }

    final void poll(RoutingContext ctx, String id, StatusAnswer status) {
        if (!authorized(ctx)) {
            return;
        }
        LroOperation operation = operations.find(id);
        if (operation == null) {
            notFound(ctx, id);
            return;
        }
        long now = System.currentTimeMillis();
        int poll = operation.recordPoll(now);
        replies.after(operation.scenario().number("slow", 0), () -> answerPoll(ctx, operation, poll, status));
    }

    private void answerPoll(RoutingContext ctx, LroOperation operation, int poll, StatusAnswer status) {
        long now = System.currentTimeMillis();
        long throttled = operation.scenario().number("poll429", 0);
        if (poll <= throttled) {
            ctx.response().putHeader("Retry-After", "1");
            error(ctx, 429, "TooManyRequests", "Rate limit exceeded, retry later");
        } else if (poll <= throttled + operation.scenario().number("poll5xx", 0)) {
            error(ctx, 503, "ServiceUnavailable", "The operation status is temporarily unavailable");
        } else if (operation.lagging(now)) {
            notFound(ctx, operation.id()); // not real time: the status URL may not exist yet right after acceptance
        } else {
            status.answer(ctx, operation, poll, now);
        }
    }

    private void notFound(RoutingContext ctx, String id) {
        error(ctx, 404, "NotFound", "The operation " + id + " does not exist.");
    }

    static ScenarioGrammar grammar(String[] ownFlags, String[] ownNumbers) {
        java.util.List<String> flags = new java.util.ArrayList<>(java.util.List.of(COMMON_FLAGS));
        flags.addAll(java.util.List.of(ownFlags));
        java.util.List<String> numbers = new java.util.ArrayList<>(java.util.List.of(COMMON_NUMBERS));
        numbers.addAll(java.util.List.of(ownNumbers));
        return ScenarioGrammar.of(flags, numbers);
    }
}
