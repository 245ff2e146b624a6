package io.asyncbridge.poller.state;

import static io.asyncbridge.schemas.serde.BinaryFields.readString;
import static io.asyncbridge.schemas.serde.BinaryFields.writeString;

import io.asyncbridge.schemas.serde.BinarySerde;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary encoding of {@link PollTask} for the store and its changelog: a version byte, then the fields in order.
 * About a third of the JSON size (no field names, times as 8-byte millis), which is what a million in-flight tasks
 * per node cost in RocksDB and in the changelog. A new field means a new version byte; old versions stay readable:
 * version 1 (written before the schedule moved into memory) also held the partition, the attempt, the lease and the
 * next due time, which are read and dropped. Version 3 adds the W3C trace context; a task without one is still
 * written as version 2, so only traced tasks need a reader that knows version 3.
 */
public final class PollTaskSerde extends BinarySerde<PollTask> {

  static final byte VERSION_1 = 1;
  static final byte VERSION_2 = 2;
  static final byte VERSION_3 = 3;
  /** Version 2's fields, then a flags byte (trace, cancel), the trace context and the cancel's reason if flagged. */
  static final byte VERSION_4 = 4;
  private static final int TRACED = 1;
  private static final int CANCELLING = 2;

  public PollTaskSerde() {
    super("poll task", "encoding version");
  }

  @Override
  protected byte version(PollTask task) {
    // Version 4 only while a cancel call is made (seconds): a store without one stays readable by older pollers.
    if (task.isCancelling()) {
      return VERSION_4;
    }
    return task.trace() == null ? VERSION_2 : VERSION_3;
  }

  @Override
  protected int sizeHint(PollTask task) {
    return 96 + task.notificationUrl().length();
  }

  @Override
  protected void write(DataOutputStream out, PollTask task) throws IOException {
    writeString(out, task.provider());
    writeString(out, task.notificationUrl());
    out.writeLong(task.submittedAtMillis());
    out.writeLong(task.acceptedAtMillis());
    out.writeLong(task.deadlineMillis());
    out.writeShort(task.httpStatus());
    out.writeShort(task.intervalIndex());
    out.writeByte(task.lastProgress());
    out.writeLong(task.notFoundSinceMillis());
    out.writeLong(task.notBeforeMillis());
    writeMetadata(out, task.metadata());
    if (task.isCancelling()) {
      out.writeByte((task.trace() == null ? 0 : TRACED) | CANCELLING);
    }
    if (task.trace() != null) {
      writeString(out, task.trace().traceparent());
      writeString(out, task.trace().tracestate() == null ? "" : task.trace().tracestate());
    }
    if (task.isCancelling()) {
      writeString(out, task.cancelReason());
    }
  }

  @Override
  protected PollTask read(DataInputStream in, byte version, String topic) throws IOException {
    return switch (version) {
      case VERSION_2 -> readVersion2(in);
      case VERSION_3 -> readVersion2(in).traced(io.asyncbridge.schemas.trace.TraceContext.of(readString(in),
          readString(in)).orElse(null));
      case VERSION_4 -> readVersion4(in);
      case VERSION_1 -> readVersion1(in);
      default -> throw unknownVersion(topic, version);
    };
  }

  private static PollTask readVersion2(DataInputStream in) throws IOException {
    String provider = readString(in);
    String url = readString(in);
    long submittedAt = in.readLong();
    long acceptedAt = in.readLong();
    long deadline = in.readLong();
    int httpStatus = in.readShort();
    int intervalIndex = in.readShort();
    int lastProgress = in.readByte();
    long notFoundSince = in.readLong();
    long notBefore = in.readLong();
    Map<String, String> metadata = readMetadata(in);
    return new PollTask(provider, url, submittedAt, acceptedAt, deadline, httpStatus, metadata, intervalIndex,
        lastProgress, notFoundSince, notBefore);
  }

  private static PollTask readVersion4(DataInputStream in) throws IOException {
    PollTask task = readVersion2(in);
    int flags = in.readUnsignedByte();
    if ((flags & TRACED) != 0) {
      task = task.traced(io.asyncbridge.schemas.trace.TraceContext.of(readString(in), readString(in)).orElse(null));
    }
    return (flags & CANCELLING) != 0 ? task.cancelling(readString(in)) : task;
  }

  private static PollTask readVersion1(DataInputStream in) throws IOException {
    String provider = readString(in);
    String url = readString(in);
    long submittedAt = in.readLong();
    long acceptedAt = in.readLong();
    long deadline = in.readLong();
    int httpStatus = in.readShort();
    in.readInt(); // partition
    in.readInt(); // attempt
    in.readBoolean(); // awaiting an answer
    int intervalIndex = in.readShort();
    int lastProgress = in.readByte();
    in.readLong(); // next due time
    Map<String, String> metadata = readMetadata(in);
    // Version 1 timed the 404 grace from acceptance and kept no start of a 404 run: the next 404 starts one.
    return new PollTask(provider, url, submittedAt, acceptedAt, deadline, httpStatus, metadata, intervalIndex,
        lastProgress, 0, 0);
  }

  private static void writeMetadata(DataOutputStream out, Map<String, String> metadata) throws IOException {
    out.writeShort(metadata.size());
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      writeString(out, entry.getKey());
      writeString(out, entry.getValue());
    }
  }

  private static Map<String, String> readMetadata(DataInputStream in) throws IOException {
    int entries = in.readUnsignedShort();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 0; i < entries; i++) {
      metadata.put(readString(in), readString(in));
    }
    return metadata;
  }
}
