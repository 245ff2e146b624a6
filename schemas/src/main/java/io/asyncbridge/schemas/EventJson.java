package io.asyncbridge.schemas;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson 2 configuration of the events. Build one mapper per component with
 * {@link #newMapper()} and share it: an {@link ObjectMapper} is thread-safe once configured.
 *
 * <p>Timestamps are ISO-8601 strings ({@code 2026-11-23T10:00:00Z}), durations ISO-8601 strings
 * ({@code PT30M}). Reading is strict about the JSON itself (duplicate keys and trailing garbage
 * are errors, because two readers could otherwise disagree on what a record says) and lenient
 * about unknown properties, so an older consumer can read a newer producer's events; the JSON
 * Schemas are the strict gate for what is allowed in.
 */
public final class EventJson {

    private EventJson() {
    }

    /** Returns a new, fully configured mapper; callers keep and share the instance. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }
}
