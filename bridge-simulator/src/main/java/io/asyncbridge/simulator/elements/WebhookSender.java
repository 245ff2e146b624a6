package io.asyncbridge.simulator.elements;

import io.asyncbridge.simulator.stats.SimulatorStats;
import io.asyncbridge.simulator.stats.WebhookAttempt;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Delivers webhooks like the Cloud Elements sender: POST the body, and retry a non-2xx answer or a connection
 * error after each wait of the retry schedule. Every attempt lands in {@link SimulatorStats}.
 */
public final class WebhookSender {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final Vertx vertx;
    private final WebClient client;
    private final List<Duration> retrySchedule;
    private final long timeoutMillis;
    private final SimulatorStats stats;
    private final boolean logTasks;
    private volatile boolean closed;

    public WebhookSender(Vertx vertx, WebClient client, List<Duration> retrySchedule, Duration timeout,
                         SimulatorStats stats, boolean logTasks) {
        this.vertx = vertx;
        this.client = client;
        this.retrySchedule = List.copyOf(retrySchedule);
        this.timeoutMillis = timeout.toMillis();
        this.stats = stats;
        this.logTasks = logTasks;
    }

    /**
     * Starts one delivery. The future completes with the first attempt's status ({@link WebhookAttempt#NO_ANSWER}
     * when there was no answer); retries go on in the background.
     */
    public Future<Integer> deliver(Webhook webhook, int delivery) {
        Promise<Integer> firstAnswer = Promise.promise();
        attempt(webhook, delivery, 1, firstAnswer);
        return firstAnswer.future();
    }

    /** Stops further retries (timers that already fired find the sender closed and do nothing). */
    public void close() {
        closed = true;
    }

    private void attempt(Webhook webhook, int delivery, int attempt, Promise<Integer> firstAnswer) {
        if (closed) {
            firstAnswer.tryComplete(WebhookAttempt.NO_ANSWER);
            return;
        }
        var request = client.postAbs(webhook.url()).timeout(timeoutMillis)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "async-bridge-simulator (Cloud Elements)");
        if (webhook.signature() != null) {
            request.putHeader(ElementsSignature.HEADER, webhook.signature());
        }
        request.sendBuffer(Buffer.buffer(webhook.body())).onComplete(result -> {
            int status = result.succeeded() ? result.result().statusCode() : WebhookAttempt.NO_ANSWER;
            String error = result.succeeded() ? null : String.valueOf(result.cause());
            WebhookAttempt record = new WebhookAttempt(webhook.eventId(), delivery, attempt, webhook.url(), status,
                    error, Instant.now());
            stats.recordWebhookAttempt(record);
            firstAnswer.tryComplete(status);
            if (logTasks) {
                LOG.info("elements webhook event={} delivery={} attempt={} -> {}{}", webhook.eventId(), delivery,
                        attempt, status, error == null ? "" : " (" + error + ")");
            }
            if (!record.succeeded() && attempt <= retrySchedule.size()) {
                vertx.setTimer(Math.max(1, retrySchedule.get(attempt - 1).toMillis()),
                        id -> attempt(webhook, delivery, attempt + 1, firstAnswer));
            }
        });
    }

    /**
     * One webhook ready to send: exact body bytes and the signature header value (or {@code null}).
     *
     * @param eventId   the job's event id
     * @param url       callback URL
     * @param body      raw JSON body; the signature covers exactly these bytes
     * @param signature {@code Elements-Webhook-Signature} value, {@code null} to send none
     */
    public record Webhook(long eventId, String url, byte[] body, String signature) {
    }
}
