package io.asyncbridge.callbacks.correlation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary serde of the webhooks topic's envelope: a format byte, a kind byte, then the task or the webhook
 * ({@link RecordCodec}). Every webhook crosses this serde twice (endpoint, then topology), so it does no JSON: the
 * body travels as the bytes received. Records of the earlier JSON format (they start with '{') are still read, so a
 * topic written by an older version drains after an upgrade. Thread-safe.
 */
public final class CorrelationEventSerde implements Serde<CorrelationEvent>, Serializer<CorrelationEvent>,
    Deserializer<CorrelationEvent> {

  static final byte FORMAT_1 = 1;
  static final byte TASK = 1;
  static final byte WEBHOOK = 2;
  private static final int OVERHEAD = 128;

  @Override
  public byte[] serialize(String topic, CorrelationEvent event) {
    if (event == null) {
      return null;
    }
    int size = OVERHEAD + (event instanceof CorrelationEvent.Webhook webhook ? webhook.webhook().body().length : 0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_1);
      if (event instanceof CorrelationEvent.Task task) {
        out.writeByte(TASK);
        RecordCodec.writeTask(out, task.task());
      } else if (event instanceof CorrelationEvent.Webhook webhook) {
        out.writeByte(WEBHOOK);
        RecordCodec.writeWebhook(out, webhook.webhook());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a correlation event (in memory) for topic " + topic, e);
    }
    return bytes.toByteArray();
  }

  @Override
  public CorrelationEvent deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (LegacyJsonRecords.isJson(data)) {
      return LegacyJsonRecords.event(topic, data);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte format = in.readByte();
      if (format != FORMAT_1) {
        throw new SerializationException("correlation event from " + topic + " has unknown format " + format);
      }
      byte kind = in.readByte();
      if (kind == TASK) {
        return RecordCodec.whole(in, "correlation event", topic,
            new CorrelationEvent.Task(RecordCodec.readTask(in)));
      }
      if (kind == WEBHOOK) {
        return RecordCodec.whole(in, "correlation event", topic,
            new CorrelationEvent.Webhook(RecordCodec.readWebhook(in)));
      }
      throw new SerializationException("correlation event from " + topic + " has unknown kind " + kind);
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerializationException serialization) {
        throw serialization;
      }
      throw new SerializationException("cannot read a correlation event from topic " + topic + " (" + data.length
          + " bytes): " + e.getMessage(), e);
    }
  }


  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // Nothing to configure.
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
