package io.asyncbridge.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The catalogue of the error codes the bridge puts in a {@link TaskError} (the {@code error.code} of a completion and
 * the {@code bridge.error.code} header of a dead letter). Codes are public contract: a code, once published, keeps
 * its meaning. The README's list of error codes is checked against this catalogue.
 *
 * <p>{@link Handling#RETRIABLE} says the cause may pass by itself: the bridge has already retried where it could,
 * and sending the task again later may succeed. {@link Handling#FATAL} says the same request ends the same way until
 * the request, the configuration or the upstream changes.
 */
public enum ErrorCode {

    // A request ingest cannot take (dead-lettered, with a rejected completion when its taskId can be read).
    INVALID_REQUEST(Handling.FATAL, "ingest", "the request could not be read, does not match the task-request schema,"
            + " or its path and query do not make a valid URL"),
    INVALID_KEY(Handling.FATAL, "ingest", "the record key is not the request's taskId"),
    REQUEST_TOO_LARGE(Handling.FATAL, "ingest", "the request record is larger than ingest takes"),
    UNKNOWN_PROVIDER(Handling.FATAL, "ingest", "no provider of that name is configured"),
    INVALID_PATH(Handling.FATAL, "ingest", "the path is absolute, climbs out of the base URL or hides dots or slashes"),
    FORBIDDEN_HEADER(Handling.FATAL, "ingest", "the request sets a header the bridge owns (Authorization, Host, framing,"
            + " the provider's callback headers)"),
    INVALID_TIMEOUT(Handling.FATAL, "ingest", "the timeout is not positive, or longer than the maximum"),
    METADATA_TOO_LARGE(Handling.FATAL, "ingest", "the metadata is larger than a task's events may carry"),

    // The starting call and its first answer.
    UPSTREAM_REJECTED(Handling.FATAL, "ingest", "the upstream refused the request with a 4xx answer (its status in"
            + " upstream.httpStatus, its body as the result)"),
    UPSTREAM_UNAUTHORIZED(Handling.FATAL, "ingest", "the upstream answered 401 or 403"),
    UPSTREAM_AUTH_REJECTED(Handling.FATAL, "ingest, poller", "the token endpoint refused the client credentials"),
    UPSTREAM_UNAVAILABLE(Handling.RETRIABLE, "ingest", "the upstream kept answering 408, 429 or 5xx: ingest gave up"
            + " after maxAttempts"),
    UPSTREAM_TIMEOUT(Handling.RETRIABLE, "ingest", "the upstream kept not answering in time: ingest gave up after"
            + " maxAttempts"),
    UPSTREAM_CONNECTION(Handling.RETRIABLE, "ingest", "the upstream could not be reached: ingest gave up after"
            + " maxAttempts"),
    UPSTREAM_AUTH_UNAVAILABLE(Handling.RETRIABLE, "ingest", "the token endpoint could not be reached or failed:"
            + " ingest gave up after maxAttempts"),
    UPSTREAM_RESPONSE_TOO_LARGE(Handling.FATAL, "ingest", "the upstream's answer to the starting call is larger than"
            + " the bridge reads"),
    HOST_NOT_ALLOWED(Handling.FATAL, "ingest", "the starting call's own URL is on a host the provider may not call"
            + " (its allowedHosts or the outbound host policy)"),
    MISSING_NOTIFICATION_LINK(Handling.FATAL, "ingest", "a poll provider's upstream accepted the task without a link"
            + " to poll"),
    NOTIFICATION_HOST_NOT_ALLOWED(Handling.FATAL, "ingest, poller", "the link to poll is not an http(s) URL on a host"
            + " the provider may call"),
    UPSTREAM_ANSWER_NOT_JSON(Handling.FATAL, "ingest", "a poll provider's accepting answer is not JSON"),
    INVALID_OPERATION_NAME(Handling.FATAL, "ingest", "google-lro: the operation's name cannot go into a URL"),
    DISPATCH_OUTCOME_UNKNOWN(Handling.FATAL, "ingest", "a crash hid whether the upstream accepted the task, and the"
            + " provider must not be sent the request again"),

    // The task's end, as the upstream tells it.
    UPSTREAM_FAILED(Handling.FATAL, "ingest, poller, callbacks", "the upstream reported the task as failed: a"
            + " notification, an operation's error or a webhook said so, or an http-lro or google-lro first answer"
            + " already did"),
    UPSTREAM_CANCELED(Handling.FATAL, "ingest, poller", "the upstream reported the task as canceled, not at the"
            + " bridge's request (Canceled, or an operation's error code 1)"),

    // Polling.
    NOTIFICATION_NOT_FOUND(Handling.FATAL, "poller", "the notification answered 404 for longer than notFoundGrace"),
    NOTIFICATION_HTTP(Handling.FATAL, "poller", "the notification answered this status, neither a success nor one the"
            + " poller waits out (404 within notFoundGrace, 408, 429, 5xx)"),
    NOTIFICATION_TOO_LARGE(Handling.FATAL, "poller", "the notification's answer is larger than the poller reads"),
    NOTIFICATION_URL_INVALID(Handling.FATAL, "poller", "the link to poll is not a valid URL"),
    NOTIFICATION_URL_MISSING(Handling.FATAL, "poller", "the task reached the poller without a link to poll"),
    NOTIFICATION_POLL_FAILED(Handling.FATAL, "poller", "the notification cannot be polled, for a reason without a"
            + " code of its own"),
    NOTIFICATION_UNREADABLE(Handling.RETRIABLE, "poller", "an answer could not be classified: the poll is sent again"
            + " (a poll's reason, not a completion's)"),

    // Callbacks.
    CORRELATION_CONFLICT(Handling.FATAL, "callbacks", "the upstream gave the task the correlation id of another task"),

    // Any path.
    DEADLINE_EXCEEDED(Handling.RETRIABLE, "any", "no terminal answer came before the task's timeout (status"
            + " timed_out)"),
    CANCELLED(Handling.FATAL, "ingest, poller, callbacks", "a cancel record on the requests topic ended the task"
            + " (status cancelled, the cancel's reason in the message)");

    /** Whether the cause may pass by itself. */
    public enum Handling {
        RETRIABLE, FATAL;

        /** As the README writes it. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Suffix of {@link #NOTIFICATION_HTTP}'s code as the README writes it. */
    public static final String STATUS_PLACEHOLDER = "<status>";

    private final Handling handling;
    private final String services;
    private final String meaning;

    ErrorCode(Handling handling, String services, String meaning) {
        this.handling = handling;
        this.services = services;
        this.meaning = meaning;
    }

    /**
     * The code as events carry it. {@link #NOTIFICATION_HTTP} is a family: its events carry
     * {@link #withStatus(int)}; here it is {@code notification_http_<status>}.
     */
    public String code() {
        String code = name().toLowerCase(Locale.ROOT);
        return this == NOTIFICATION_HTTP ? code + "_" + STATUS_PLACEHOLDER : code;
    }

    /** {@link #NOTIFICATION_HTTP}'s code for one HTTP status, e.g. {@code notification_http_410}. */
    public String withStatus(int status) {
        if (this != NOTIFICATION_HTTP) {
            throw new IllegalStateException(code() + " has no status");
        }
        return name().toLowerCase(Locale.ROOT) + "_" + status;
    }

    public Handling handling() {
        return handling;
    }

    public boolean retriable() {
        return handling == Handling.RETRIABLE;
    }

    /** Which services emit it: {@code ingest}, {@code poller}, {@code callbacks} (comma-separated), or {@code any}. */
    public String services() {
        return services;
    }

    public String meaning() {
        return meaning;
    }

    /** The entry a code an event carries belongs to, {@code notification_http_410} included. */
    public static Optional<ErrorCode> of(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String family = NOTIFICATION_HTTP.name().toLowerCase(Locale.ROOT) + "_";
        if (code.startsWith(family) && code.length() == family.length() + 3
                && code.substring(family.length()).chars().allMatch(Character::isDigit)) {
            return Optional.of(NOTIFICATION_HTTP);
        }
        return Arrays.stream(values()).filter(entry -> entry != NOTIFICATION_HTTP && entry.code().equals(code))
                .findFirst();
    }

    /** Every entry, in catalogue order. */
    public static List<ErrorCode> catalogue() {
        return List.of(values());
    }
}
