package io.asyncbridge.schemas.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.schemas.EventJson;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for any event record, through the {@link EventJson} mapper. A null value stays null
 * (a tombstone). It does not validate against the schemas: producers build records through the
 * factories, and untrusted input goes through {@code RequestParser}. Thread-safe; one instance
 * serves as serde, serializer and deserializer.
 *
 * @param <T> the record type
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final ObjectMapper mapper;

    public JsonSerde(Class<T> type, ObjectMapper mapper) {
        this.type = Objects.requireNonNull(type, "type");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** A serde for {@code type} with a fresh {@link EventJson#newMapper()} mapper. */
    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type, EventJson.newMapper());
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return mapper.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot serialize " + type.getSimpleName() + " for topic " + topic
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return mapper.readValue(data, type);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot deserialize " + type.getSimpleName() + " from topic " + topic
                    + " (" + data.length + " bytes): " + reason(e), e);
        }
    }

    private static String reason(Exception e) {
        String message = e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
        // A constructor's own check (e.g. "error must be present") is the useful part of a Jackson wrapper.
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null && !(cause instanceof IOException)) {
            message = message + " (" + cause.getMessage() + ")";
        }
        return message;
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Configured through the constructor; nothing to read from client properties.
    }

    @Override
    public void close() {
        // Holds no resources.
    }
}
