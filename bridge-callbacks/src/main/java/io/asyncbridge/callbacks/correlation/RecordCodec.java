package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.core.config.TaskMode;
import io.asyncbridge.core.task.TaskAccepted;
import io.asyncbridge.core.trace.TraceContext;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The fields of the topology's internal records in a compact binary form: strings and byte arrays length-prefixed
 * (-1 for null), instants as epoch seconds plus nanoseconds (a deadline keeps its exact value), the webhook body as
 * the raw bytes received. No field names and no JSON on the per-webhook path. A task's W3C trace context, when it has
 * one, follows its metadata.
 */
final class RecordCodec {

  private static final int NULL_LENGTH = -1;
  /** Marks the optional trace context after a task's metadata (a task is always the last field of its record). */
  private static final byte TRACED = 'T';

  private RecordCodec() {
  }

  static void writeTask(DataOutputStream out, TaskAccepted task) throws IOException {
    writeString(out, task.taskId());
    writeString(out, task.provider());
    writeString(out, task.mode() == null ? null : task.mode().name());
    writeInstant(out, task.submittedAt());
    writeInstant(out, task.acceptedAt());
    writeInstant(out, task.deadline());
    out.writeInt(task.httpStatus());
    writeString(out, task.notificationUrl());
    writeString(out, task.correlationId());
    out.writeInt(task.metadata().size());
    for (Map.Entry<String, String> entry : task.metadata().entrySet()) {
      writeString(out, entry.getKey());
      writeString(out, entry.getValue());
    }
    if (task.trace() != null) {
      // Last field, written only when present: an untraced task's bytes are what earlier versions wrote and read.
      out.writeByte(TRACED);
      writeString(out, task.trace().traceparent());
      writeString(out, task.trace().tracestate());
    }
  }

  static TaskAccepted readTask(DataInputStream in) throws IOException {
    String taskId = readString(in);
    String provider = readString(in);
    String mode = readString(in);
    Instant submittedAt = readInstant(in);
    Instant acceptedAt = readInstant(in);
    Instant deadline = readInstant(in);
    int httpStatus = in.readInt();
    String notificationUrl = readString(in);
    String correlationId = readString(in);
    int entries = in.readInt();
    if (entries < 0 || entries > in.available()) {
      throw new IOException("metadata count " + entries + " exceeds the record");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 0; i < entries; i++) {
      metadata.put(readString(in), readString(in));
    }
    TraceContext trace = null;
    if (in.available() > 0 && in.readByte() == TRACED) {
      trace = TraceContext.of(readString(in), readString(in)).orElse(null);
    }
    return new TaskAccepted(taskId, provider, mode == null ? null : mode(mode), submittedAt, acceptedAt, deadline,
        httpStatus, notificationUrl, correlationId, metadata, null, trace);
  }

  private static TaskMode mode(String name) throws IOException {
    try {
      return TaskMode.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown task mode '" + name + "'", e);
    }
  }

  static void writeWebhook(DataOutputStream out, WebhookReceived webhook) throws IOException {
    writeString(out, webhook.provider());
    writeString(out, webhook.routeTaskId());
    writeString(out, webhook.correlationId());
    writeInstant(out, webhook.receivedAt());
    writeBytes(out, webhook.body());
  }

  static WebhookReceived readWebhook(DataInputStream in) throws IOException {
    return new WebhookReceived(readString(in), readString(in), readString(in), readInstant(in), readBytes(in));
  }

  static void writeString(DataOutputStream out, String value) throws IOException {
    writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  static String readString(DataInputStream in) throws IOException {
    byte[] utf8 = readBytes(in);
    return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
  }

  static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
    if (value == null) {
      out.writeInt(NULL_LENGTH);
      return;
    }
    out.writeInt(value.length);
    out.write(value);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length == NULL_LENGTH) {
      return null;
    }
    if (length < 0 || length > in.available()) {
      throw new IOException("field length " + length + " exceeds the record");
    }
    return in.readNBytes(length);
  }

  static void writeInstant(DataOutputStream out, Instant value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeLong(value.getEpochSecond());
      out.writeInt(value.getNano());
    }
  }

  static Instant readInstant(DataInputStream in) throws IOException {
    return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
  }

  /**
   * {@code read}, once nothing is left after it: extra bytes mean a record this version does not understand.
   *
   * @param what the kind of record, for the message, e.g. "correlation event"
   */
  static <T> T whole(DataInputStream in, String what, String topic, T read) throws IOException {
    if (in.available() > 0) {
      throw new SerializationException(what + " from " + topic + " has " + in.available()
          + " unexpected bytes after its fields");
    }
    return read;
  }
}
