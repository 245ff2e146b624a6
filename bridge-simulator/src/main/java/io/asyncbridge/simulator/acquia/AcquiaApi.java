package io.asyncbridge.simulator.acquia;

import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.stats.SimulatorStats;
import io.asyncbridge.simulator.http.Replies;
import io.asyncbridge.simulator.scenario.AttemptCounter;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The simulated Acquia Cloud Platform API: token endpoint, task-creating calls and notifications. */
public final class AcquiaApi {

    public static final String TOKEN_PATH = "/api/auth/oauth/token";
    private static final long BODY_LIMIT_BYTES = 1_048_576;

    private final AcquiaTokenStore tokens;
    private final AcquiaTaskRegistry tasks;
    private final AttemptCounter attempts;
    private final AcquiaTokenHandler tokenHandler;
    private final AcquiaTaskHandler taskHandler;
    private final NotificationHandler notificationHandler;
    private final Replies replies;

    public AcquiaApi(SimulatorConfig config, String publicBaseUrl, SimulatorStats stats, Replies replies) {
        long retention = config.finishedStateRetention().toMillis();
        this.replies = replies;
        this.tokens = new AcquiaTokenStore(config.tokenLifetime().toMillis());
        this.tasks = new AcquiaTaskRegistry(retention, stats);
        this.attempts = new AttemptCounter(retention);
        BearerCheck bearer = new BearerCheck(tokens, stats, replies);
        this.tokenHandler = new AcquiaTokenHandler(config.acquiaClientId(), config.acquiaClientSecret(), tokens, stats, replies);
        this.taskHandler = new AcquiaTaskHandler(bearer, tasks, attempts, stats, replies, publicBaseUrl,
                config.taskDuration().toMillis(), config.logTasks());
        this.notificationHandler = new NotificationHandler(bearer, tasks, stats, replies);
    }

    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
        router.post(TOKEN_PATH).handler(body).handler(tokenHandler::handle);
        router.route(TOKEN_PATH).handler(ctx -> replies.acquiaError(ctx, 405, "method_not_allowed", "Use POST"));
        router.get("/api/notifications/:uuid").handler(notificationHandler::handle);
        router.route("/api/notifications*").handler(ctx -> replies.acquiaError(ctx, 405, "method_not_allowed",
                "Notifications are read with GET /api/notifications/{uuid}"));
        for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE}) {
            router.route(method, "/api/*").handler(body).handler(taskHandler::handle);
        }
        router.route("/api/*").handler(ctx -> replies.acquiaError(ctx, 404, "not_found",
                "The simulator has no resource at " + ctx.request().path()));
    }

    /** Makes every issued token expired, so the next call with it answers 401. */
    public void expireAllTokens() {
        tokens.expireAll();
    }

    /** Drops expired tokens and old task state; called periodically. */
    public void sweep(long nowMillis) {
        tokens.sweep(nowMillis);
        tasks.sweep(nowMillis);
        attempts.sweep(nowMillis);
    }
}
