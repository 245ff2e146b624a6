package io.asyncbridge.simulator.elements;

import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.stats.SimulatorStats;
import io.asyncbridge.simulator.http.Replies;
import io.asyncbridge.simulator.idempotency.IdempotentReplays;
import io.asyncbridge.simulator.scenario.Scenario;
import io.asyncbridge.simulator.scenario.ScenarioGrammar;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated Cloud Elements API under {@code /elements/api-v2/}: asynchronous requests answered with
 * {@code {"eventId", "eventStatus": "dispatched"}} and completed by a signed webhook to the callback URL. A job can be
 * cancelled with {@code POST} or {@code DELETE /jobs/{eventId}/cancel} (not a Cloud Elements call: it stands for
 * any callback-style API's cancel endpoint): answered 200 and its webhook, if not sent yet, never sent; 409 for a job
 * created with the scenario word {@code no-cancel}; 404 for an unknown job. Every call is counted per job.
 */
public final class ElementsApi {

    public static final String BASE_PATH = "/elements/api-v2";
    public static final String ASYNC_HEADER = "Elements-Async-Request";
    public static final String CALLBACK_HEADER = "Elements-Async-Callback-Url";

    static final ScenarioGrammar GRAMMAR = ScenarioGrammar.of(
            List.of("success", "fail", "early", "never", "badsig", "reject", "reset", "hang", "no-cancel"),
            List.of("duplicate", "duration", "slow"));

    private static final Logger LOG = LoggerFactory.getLogger(ElementsApi.class);
    private static final long BODY_LIMIT_BYTES = 1_048_576;

    private final SimulatorConfig config;
    private final SimulatorStats stats;
    private final Replies replies;
    private final WebhookSender sender;
    private final ElementsWebhookBodies bodies;
    private final AtomicLong eventIds = new AtomicLong(1000);
    private final AtomicLong notificationIds = new AtomicLong(1080);
    private final IdempotentReplays keys;
    /** Jobs that can still be cancelled, the latest {@value #JOBS_KEPT}: a long-running simulator stays bounded. */
    private final Map<Long, Job> jobs = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Job> eldest) {
            return size() > JOBS_KEPT;
        }
    });
    static final int JOBS_KEPT = 100_000;

    /** A job as its cancel endpoint sees it. */
    private static final class Job {
        private final boolean refusesCancel;
        private boolean cancelled;
        private boolean finished;

        Job(boolean refusesCancel) {
            this.refusesCancel = refusesCancel;
        }

        /** False when the job was cancelled first. */
        synchronized boolean finish() {
            finished = !cancelled;
            return finished;
        }

        /** False when it finished first or refuses to be cancelled. */
        synchronized boolean cancel() {
            cancelled = !finished && !refusesCancel;
            return cancelled;
        }
    }

    public ElementsApi(SimulatorConfig config, SimulatorStats stats, Replies replies, WebhookSender sender) {
        this.config = config;
        this.stats = stats;
        this.replies = replies;
        this.sender = sender;
        this.bodies = new ElementsWebhookBodies(replies.json(), config.elementsInstanceId());
        this.keys = new IdempotentReplays(stats);
    }

    public void mount(Router router) {
        router.route(BASE_PATH + "/jobs/:eventId/cancel").handler(this::cancel);
        router.route(BASE_PATH + "/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES)).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Scenario scenario;
        try {
            scenario = Scenario.parse(ctx.request().getHeader(Scenario.HEADER), GRAMMAR);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null || !config.elementsAuthorization().equals(authorization.trim())) {
            stats.recordUnauthorized();
            error(ctx, 401, "Invalid Organization or User secret, or invalid Element token provided.");
            return;
        }
        stats.recordElementsCreate(scenario.key());
        if (keys.replay(ctx, replies)) {
            return; // a repeated Idempotency-Key: the first job's answer; its one webhook is on its way
        }
        if (scenario.has("reset")) {
            replies.reset(ctx);
            return;
        }
        if (scenario.has("hang")) {
            return; // never answer: the client's own timeout must fire
        }
        replies.after(scenario.number("slow", 0), () -> answer(ctx, scenario));
    }

    private void cancel(RoutingContext ctx) {
        String method = ctx.request().method().name();
        if (!method.equals("POST") && !method.equals("DELETE")) {
            error(ctx, 405, "A job is cancelled with POST or DELETE");
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null || !config.elementsAuthorization().equals(authorization.trim())) {
            stats.recordUnauthorized();
            error(ctx, 401, "Invalid Organization or User secret, or invalid Element token provided.");
            return;
        }
        long eventId;
        try {
            eventId = Long.parseLong(ctx.pathParam("eventId"));
        } catch (NumberFormatException e) {
            error(ctx, 404, "No job " + ctx.pathParam("eventId"));
            return;
        }
        stats.recordElementsCancel(eventId);
        Job job = jobs.get(eventId);
        if (job == null) {
            error(ctx, 404, "No job " + eventId);
        } else if (!job.cancel()) {
            error(ctx, 409, "Job " + eventId + " cannot be cancelled any more");
        } else {
            if (logTasks()) {
                LOG.info("elements job {} cancelled", eventId);
            }
            replies.json(ctx, 200, Map.of("eventId", eventId, "eventStatus", "cancelled"));
        }
    }

    private void answer(RoutingContext ctx, Scenario scenario) {
        String async = ctx.request().getHeader(ASYNC_HEADER);
        if (async == null || !"true".equals(async.trim().toLowerCase(Locale.ROOT))) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("path", ctx.request().path().substring(BASE_PATH.length()));
            body.put("status", "done");
            body.put("note", "Answered synchronously: send Elements-Async-Request: True for an asynchronous job");
            replies.json(ctx, 200, body);
            return;
        }
        String callbackUrl = ctx.request().getHeader(CALLBACK_HEADER);
        if (callbackUrl == null || callbackUrl.isBlank()) {
            callbackUrl = config.elementsInstanceCallbackUrl();
        }
        if (callbackUrl == null) {
            error(ctx, 400, "A callback URL is required for an asynchronous request: send " + CALLBACK_HEADER
                    + " or configure a callback URL on the element instance.");
            return;
        }
        if (scenario.has("reject")) {
            error(ctx, 400, "The request was rejected: the simulator scenario 'reject' was asked for");
            return;
        }
        long eventId = eventIds.incrementAndGet();
        Job job = new Job(scenario.has("no-cancel"));
        jobs.put(eventId, job);
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("eventId", eventId);
        accepted.put("eventStatus", "dispatched");
        keys.remember(ctx, 200, accepted);
        if (logTasks()) {
            LOG.info("elements job {} accepted: {} {} scenario={} callback={}", eventId, ctx.request().method(),
                    ctx.request().path(), scenario.key(), callbackUrl);
        }
        if (scenario.has("never")) {
            replies.json(ctx, 200, accepted);
            return;
        }
        WebhookSender.Webhook webhook = webhook(ctx, scenario, eventId, callbackUrl);
        int copies = (int) Math.max(1, Math.min(100, scenario.number("duplicate", 1)));
        if (scenario.has("early")) {
            // The job finishes before the caller got our answer: the caller must not depend on the order.
            job.finish();
            deliverCopies(webhook, 1, copies).onComplete(done -> replies.json(ctx, 200, accepted));
            return;
        }
        replies.json(ctx, 200, accepted);
        long delay = scenario.number("duration", config.webhookDelay().toMillis());
        replies.after(delay, () -> {
            if (job.finish()) {
                deliverCopies(webhook, 1, copies);
            } // else cancelled before it finished: no webhook
        });
    }

    /** Sends copy after copy, each once the previous one got its first answer; completes after the first copy. */
    private Future<Integer> deliverCopies(WebhookSender.Webhook webhook, int copy, int copies) {
        Future<Integer> first = sender.deliver(webhook, copy);
        if (copy < copies) {
            first.onComplete(done -> deliverCopies(webhook, copy + 1, copies));
        }
        return first;
    }

    private WebhookSender.Webhook webhook(RoutingContext ctx, Scenario scenario, long eventId, String callbackUrl) {
        long notificationId = notificationIds.incrementAndGet();
        byte[] body = scenario.has("fail")
                ? bodies.failure(eventId, notificationId, "folder not found")
                : bodies.success(eventId, notificationId, ctx);
        String key = config.elementsSignatureKey();
        String signature;
        if (scenario.has("badsig")) {
            signature = ElementsSignature.sign((key == null ? "" : key) + "-wrong-" + UUID.randomUUID(), body);
        } else {
            signature = key == null ? null : ElementsSignature.sign(key, body);
        }
        return new WebhookSender.Webhook(eventId, callbackUrl, body, signature);
    }

    private boolean logTasks() {
        return config.logTasks();
    }

    /** Cloud Elements error body: {@code {"requestId", "message"}}. */
    private void error(RoutingContext ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        body.put("message", message);
        replies.json(ctx, status, body);
    }
}
