package io.asyncbridge.poller.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary encoding of {@link PollTask} for the store and its changelog: a version byte, then the fields in order.
 * About a third of the JSON size (no field names, times as 8-byte millis), which is what a million in-flight tasks
 * per node cost in RocksDB and in the changelog. A new field means a new version byte; old versions stay readable.
 */
public final class PollTaskSerde implements Serde<PollTask>, Serializer<PollTask>, Deserializer<PollTask> {

  static final byte VERSION_1 = 1;

  @Override
  public byte[] serialize(String topic, PollTask task) {
    if (task == null) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + task.notificationUrl().length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION_1);
      writeString(out, task.provider());
      writeString(out, task.notificationUrl());
      out.writeLong(task.submittedAtMillis());
      out.writeLong(task.acceptedAtMillis());
      out.writeLong(task.deadlineMillis());
      out.writeShort(task.httpStatus());
      out.writeInt(task.partition());
      out.writeInt(task.attempt());
      out.writeBoolean(task.awaiting());
      out.writeShort(task.intervalIndex());
      out.writeByte(task.lastProgress());
      out.writeLong(task.nextDueAtMillis());
      out.writeShort(task.metadata().size());
      for (Map.Entry<String, String> entry : task.metadata().entrySet()) {
        writeString(out, entry.getKey());
        writeString(out, entry.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a poll task (in memory)", e);
    }
    return bytes.toByteArray();
  }

  @Override
  public PollTask deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte version = in.readByte();
      if (version != VERSION_1) {
        throw new SerializationException("poll task from " + topic + " has unknown encoding version " + version);
      }
      String provider = readString(in);
      String url = readString(in);
      long submittedAt = in.readLong();
      long acceptedAt = in.readLong();
      long deadline = in.readLong();
      int httpStatus = in.readShort();
      int partition = in.readInt();
      int attempt = in.readInt();
      boolean awaiting = in.readBoolean();
      int intervalIndex = in.readShort();
      int lastProgress = in.readByte();
      long nextDueAt = in.readLong();
      int entries = in.readUnsignedShort();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (int i = 0; i < entries; i++) {
        metadata.put(readString(in), readString(in));
      }
      return new PollTask(provider, url, submittedAt, acceptedAt, deadline, httpStatus, metadata, partition, attempt,
          awaiting, intervalIndex, lastProgress, nextDueAt);
    } catch (IOException e) {
      throw new SerializationException("cannot decode a poll task from " + topic + " (" + data.length + " bytes)", e);
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("string length " + length + " exceeds the record");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Override
  public Serializer<PollTask> serializer() {
    return this;
  }

  @Override
  public Deserializer<PollTask> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // nothing to configure
  }

  @Override
  public void close() {
    // holds no resources
  }
}
