package io.asyncbridge.callbacks.correlation;

import static io.asyncbridge.schemas.serde.BinaryFields.checkCount;
import static io.asyncbridge.schemas.serde.BinaryFields.readBytes;
import static io.asyncbridge.schemas.serde.BinaryFields.readInstant;
import static io.asyncbridge.schemas.serde.BinaryFields.readString;
import static io.asyncbridge.schemas.serde.BinaryFields.writeBytes;
import static io.asyncbridge.schemas.serde.BinaryFields.writeInstant;
import static io.asyncbridge.schemas.serde.BinaryFields.writeString;

import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.trace.TraceContext;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of the topology's internal records in a compact binary form ({@link
 * io.asyncbridge.schemas.serde.BinaryFields}: strings and byte arrays length-prefixed, instants as epoch seconds plus
 * nanoseconds, so a deadline keeps its exact value), the webhook body as the raw bytes received. No field names and
 * no JSON on the per-webhook path. A task's W3C trace context, when it has one, follows its metadata.
 */
final class RecordCodec {

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
    int entries = checkCount(in, in.readInt(), "metadata");
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

  /** A cancel: who it is for, then the marker; its hand-off fields are empty and not written. */
  static void writeCancel(DataOutputStream out, TaskAccepted cancel) throws IOException {
    writeString(out, cancel.taskId());
    writeString(out, cancel.provider());
    writeString(out, cancel.correlationId());
    writeString(out, cancel.cancel().mode().name());
    writeString(out, cancel.cancel().reason());
    writeInstant(out, cancel.cancel().requestedAt());
  }

  static TaskAccepted readCancel(DataInputStream in) throws IOException {
    String taskId = readString(in);
    String provider = readString(in);
    String correlationId = readString(in);
    TaskMode mode = mode(readString(in));
    String reason = readString(in);
    Instant requestedAt = readInstant(in);
    return TaskAccepted.cancelOf(taskId, provider, mode, correlationId, reason, requestedAt);
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
}
