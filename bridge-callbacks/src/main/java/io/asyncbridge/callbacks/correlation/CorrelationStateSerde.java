package io.asyncbridge.callbacks.correlation;

import static io.asyncbridge.schemas.serde.BinaryFields.readInstant;
import static io.asyncbridge.schemas.serde.BinaryFields.readString;
import static io.asyncbridge.schemas.serde.BinaryFields.writeInstant;
import static io.asyncbridge.schemas.serde.BinaryFields.writeString;

import io.asyncbridge.schemas.serde.BinarySerde;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;

/**
 * Binary serde of the correlation store's values (and so of its changelog): a format byte, the phase, the due time,
 * then what the phase holds (the task, the early webhook with its raw body, or the completed task's id). Values of
 * the earlier JSON format are still read, so an upgraded instance keeps the tasks it was following. A waiting task
 * whose cancel call is being made is written in format 2 (its cancel reason before the task); every other value stays
 * in format 1, which older versions read.
 */
public final class CorrelationStateSerde extends BinarySerde<CorrelationState> {

  static final byte FORMAT_1 = 1;
  static final byte FORMAT_2 = 2;
  private static final byte WAITING = 1;
  private static final byte EARLY = 2;
  private static final byte COMPLETED = 3;
  private static final int OVERHEAD = 160;

  public CorrelationStateSerde() {
    super("correlation state", "format");
  }

  @Override
  protected byte version(CorrelationState state) {
    return state.isCancelling() ? FORMAT_2 : FORMAT_1;
  }

  @Override
  protected int sizeHint(CorrelationState state) {
    return OVERHEAD + (state.webhook() == null ? 0 : state.webhook().body().length);
  }

  @Override
  protected void write(DataOutputStream out, CorrelationState state) throws IOException {
    switch (state.phase()) {
      case WAITING_FOR_WEBHOOK:
        out.writeByte(WAITING);
        writeInstant(out, state.dueAt());
        if (state.isCancelling()) {
          writeString(out, state.cancelReason()); // before the task, which must stay the record's last field
        }
        RecordCodec.writeTask(out, state.task());
        break;
      case EARLY_WEBHOOK:
        out.writeByte(EARLY);
        writeInstant(out, state.dueAt());
        RecordCodec.writeWebhook(out, state.webhook());
        break;
      default:
        out.writeByte(COMPLETED);
        writeInstant(out, state.dueAt());
        writeString(out, state.taskId());
    }
  }

  @Override
  protected CorrelationState readLegacy(String topic, byte[] data) {
    return LegacyJsonRecords.isJson(data) ? LegacyJsonRecords.state(topic, data) : null;
  }

  @Override
  protected CorrelationState read(DataInputStream in, byte format, String topic) throws IOException {
    if (format != FORMAT_1 && format != FORMAT_2) {
      throw unknownVersion(topic, format);
    }
    byte phase = in.readByte();
    Instant dueAt = readInstant(in);
    if (phase == WAITING) {
      String cancelReason = format == FORMAT_2 ? readString(in) : null;
      CorrelationState waiting = CorrelationState.waiting(RecordCodec.readTask(in), dueAt);
      return cancelReason == null ? waiting : waiting.cancelling(cancelReason);
    }
    if (phase == EARLY) {
      return CorrelationState.early(RecordCodec.readWebhook(in), dueAt);
    }
    if (phase == COMPLETED) {
      return CorrelationState.completed(readString(in), dueAt);
    }
    throw unknown("phase", topic, phase);
  }
}
