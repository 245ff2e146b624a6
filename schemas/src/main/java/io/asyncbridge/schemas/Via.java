package io.asyncbridge.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What produced a task's terminal answer. The JSON form is the lower-case word ({@link #wireName()}). */
public enum Via {
    @JsonProperty("poll") POLL("poll"),
    @JsonProperty("callback") CALLBACK("callback"),
    @JsonProperty("ingest") INGEST("ingest"),
    @JsonProperty("deadline") DEADLINE("deadline");

    private final String wireName;

    Via(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
