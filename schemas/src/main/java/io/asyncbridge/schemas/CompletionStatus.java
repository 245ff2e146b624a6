package io.asyncbridge.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a task ended. The JSON form is the lower-case word of the contract ({@link #wireName()}). */
public enum CompletionStatus {
    @JsonProperty("succeeded") SUCCEEDED("succeeded"),
    @JsonProperty("failed") FAILED("failed"),
    @JsonProperty("timed_out") TIMED_OUT("timed_out"),
    @JsonProperty("rejected") REJECTED("rejected"),
    @JsonProperty("cancelled") CANCELLED("cancelled");

    private final String wireName;

    CompletionStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The word used in JSON, e.g. {@code timed_out}. */
    public String wireName() {
        return wireName;
    }
}
