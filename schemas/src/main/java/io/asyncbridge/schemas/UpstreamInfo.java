package io.asyncbridge.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the upstream answered to the call that started a task. Every field may be null; all are
 * always written.
 *
 * @param httpStatus      status of the answer to the starting call, or null if none arrived
 * @param notificationUrl the notification resource polled (poll mode), or null
 * @param eventId         the upstream's id of the webhook that ended the task (callback mode), or null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"httpStatus", "notificationUrl", "eventId"})
public record UpstreamInfo(Integer httpStatus, String notificationUrl, String eventId) {

    public UpstreamInfo {
        if (httpStatus != null && (httpStatus < 100 || httpStatus > 599)) {
            throw new IllegalArgumentException("httpStatus must be 100-599, was " + httpStatus);
        }
    }

    /** Poll mode: the starting call's status and the notification URL to poll. */
    public static UpstreamInfo polled(int httpStatus, String notificationUrl) {
        return new UpstreamInfo(httpStatus, notificationUrl, null);
    }

    /** This info with the id of the webhook event that ended the task. */
    public UpstreamInfo withEventId(String newEventId) {
        return new UpstreamInfo(httpStatus, notificationUrl, newEventId);
    }
}
