package io.asyncbridge.simulator.acquia;

import io.asyncbridge.simulator.stats.SimulatorStats;
import io.asyncbridge.simulator.http.Replies;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/notifications/{uuid}}: the task's notification, with the lag (404), throttling (429) and
 * outages (503) its scenario asks for.
 */
final class NotificationHandler {

    private final BearerCheck bearer;
    private final AcquiaTaskRegistry tasks;
    private final SimulatorStats stats;
    private final Replies replies;

    NotificationHandler(BearerCheck bearer, AcquiaTaskRegistry tasks, SimulatorStats stats, Replies replies) {
        this.bearer = bearer;
        this.tasks = tasks;
        this.stats = stats;
        this.replies = replies;
    }

    void handle(RoutingContext ctx) {
        if (!bearer.authorize(ctx)) {
            return;
        }
        String uuid = ctx.pathParam("uuid");
        int poll = stats.recordPoll(uuid);
        AcquiaTask task = tasks.find(uuid);
        if (task == null) {
            notFound(ctx, uuid);
            return;
        }
        replies.after(task.scenario().number("slow", 0), () -> answer(ctx, task, poll));
    }

    private void answer(RoutingContext ctx, AcquiaTask task, int poll) {
        long now = System.currentTimeMillis();
        long throttled = task.scenario().number("poll429", 0);
        if (poll <= throttled) {
            ctx.response().putHeader("Retry-After", "1");
            replies.acquiaError(ctx, 429, "too_many_requests", "Rate limit exceeded, retry later");
        } else if (poll <= throttled + task.scenario().number("poll5xx", 0)) {
            replies.acquiaError(ctx, 503, "service_unavailable", "The notification service is temporarily unavailable");
        } else if (task.lagging(now)) {
            // The notification API is not real time: right after acceptance the notification may not exist yet.
            notFound(ctx, task.uuid());
        } else {
            replies.json(ctx, 200, task.notification(now, poll));
        }
    }

    private void notFound(RoutingContext ctx, String uuid) {
        replies.acquiaError(ctx, 404, "not_found", "The notification " + uuid + " does not exist.");
    }
}
