package io.asyncbridge.callbacks.correlation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary serde of the correlation store's values (and so of its changelog): a format byte, the phase, the due time,
 * then what the phase holds (the task, the early webhook with its raw body, or the completed task's id). Values of
 * the earlier JSON format are still read, so an upgraded instance keeps the tasks it was following.
 */
public final class CorrelationStateSerde implements Serde<CorrelationState>, Serializer<CorrelationState>,
    Deserializer<CorrelationState> {

  static final byte FORMAT_1 = 1;
  private static final byte WAITING = 1;
  private static final byte EARLY = 2;
  private static final byte COMPLETED = 3;
  private static final int OVERHEAD = 160;

  @Override
  public byte[] serialize(String topic, CorrelationState state) {
    if (state == null) {
      return null;
    }
    int size = OVERHEAD + (state.webhook() == null ? 0 : state.webhook().body().length);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_1);
      switch (state.phase()) {
        case WAITING_FOR_WEBHOOK:
          out.writeByte(WAITING);
          RecordCodec.writeInstant(out, state.dueAt());
          RecordCodec.writeTask(out, state.task());
          break;
        case EARLY_WEBHOOK:
          out.writeByte(EARLY);
          RecordCodec.writeInstant(out, state.dueAt());
          RecordCodec.writeWebhook(out, state.webhook());
          break;
        default:
          out.writeByte(COMPLETED);
          RecordCodec.writeInstant(out, state.dueAt());
          RecordCodec.writeString(out, state.taskId());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a correlation state (in memory)", e);
    }
    return bytes.toByteArray();
  }

  @Override
  public CorrelationState deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (LegacyJsonRecords.isJson(data)) {
      return LegacyJsonRecords.state(topic, data);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte format = in.readByte();
      if (format != FORMAT_1) {
        throw new SerializationException("correlation state from " + topic + " has unknown format " + format);
      }
      byte phase = in.readByte();
      Instant dueAt = RecordCodec.readInstant(in);
      if (phase == WAITING) {
        return RecordCodec.whole(in, "correlation state", topic,
            CorrelationState.waiting(RecordCodec.readTask(in), dueAt));
      }
      if (phase == EARLY) {
        return RecordCodec.whole(in, "correlation state", topic,
            CorrelationState.early(RecordCodec.readWebhook(in), dueAt));
      }
      if (phase == COMPLETED) {
        return RecordCodec.whole(in, "correlation state", topic,
            CorrelationState.completed(RecordCodec.readString(in), dueAt));
      }
      throw new SerializationException("correlation state from " + topic + " has unknown phase " + phase);
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerializationException serialization) {
        throw serialization;
      }
      throw new SerializationException("cannot read a correlation state from " + topic + " (" + data.length
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
  public Serializer<CorrelationState> serializer() {
    return this;
  }

  @Override
  public Deserializer<CorrelationState> deserializer() {
    return this;
  }
}
