package io.asyncbridge.callbacks.correlation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.asyncbridge.schemas.EventJson;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** JSON serde of the webhooks topic's envelope; always writes the {@code type} discriminator. Thread-safe. */
public final class CorrelationEventSerde implements Serde<CorrelationEvent>, Serializer<CorrelationEvent>,
    Deserializer<CorrelationEvent> {

  private final ObjectWriter writer;
  private final ObjectReader reader;

  public CorrelationEventSerde() {
    ObjectMapper mapper = EventJson.newMapper();
    this.writer = mapper.writerFor(CorrelationEvent.class);
    this.reader = mapper.readerFor(CorrelationEvent.class);
  }

  @Override
  public byte[] serialize(String topic, CorrelationEvent event) {
    if (event == null) {
      return null;
    }
    try {
      return writer.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new SerializationException("cannot serialize a correlation event for topic " + topic, e);
    }
  }

  @Override
  public CorrelationEvent deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return reader.readValue(data);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot read a correlation event from topic " + topic + " (" + data.length
          + " bytes): " + e.getMessage(), e);
    }
  }

  @Override
  public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    // Configured through the constructor.
  }

  @Override
  public void close() {
    // Holds no resources.
  }

  @Override
  public Serializer<CorrelationEvent> serializer() {
    return this;
  }

  @Override
  public Deserializer<CorrelationEvent> deserializer() {
    return this;
  }
}
