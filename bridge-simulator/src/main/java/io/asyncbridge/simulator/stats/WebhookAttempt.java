package io.asyncbridge.simulator.stats;

import java.time.Instant;

/**
 * One attempt to deliver a Cloud Elements webhook.
 *
 * @param eventId  the job's {@code eventId}
 * @param delivery which copy of the webhook (1 unless the scenario asked for duplicates)
 * @param attempt  1 for the first try, 2 for the first retry, ...
 * @param url      callback URL the webhook went to
 * @param status   HTTP status the receiver answered, or {@link #NO_ANSWER} when the connection failed or timed out
 * @param error    why there was no answer, {@code null} when there was one
 * @param at       when the attempt finished
 */
public record WebhookAttempt(long eventId, int delivery, int attempt, String url, int status, String error, Instant at) {

    /** Status recorded when the receiver gave no HTTP answer. */
    public static final int NO_ANSWER = 0;

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
