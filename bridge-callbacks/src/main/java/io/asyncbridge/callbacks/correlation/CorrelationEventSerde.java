package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.schemas.serde.BinarySerde;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Binary serde of the webhooks topic's envelope: a format byte, a kind byte, then the task or the webhook
 * ({@link RecordCodec}, on the {@link BinarySerde} base). Every webhook crosses this serde twice (endpoint, then topology), so it does no JSON: the
 * body travels as the bytes received. Records of the earlier JSON format (they start with '{') are still read, so a
 * topic written by an older version drains after an upgrade. Thread-safe.
 */
public final class CorrelationEventSerde extends BinarySerde<CorrelationEvent> {

  static final byte FORMAT_1 = 1;
  static final byte TASK = 1;
  static final byte WEBHOOK = 2;
  static final byte CANCEL = 3;
  private static final int OVERHEAD = 128;

  public CorrelationEventSerde() {
    super("correlation event", "format");
  }

  @Override
  protected byte version(CorrelationEvent event) {
    return FORMAT_1;
  }

  @Override
  protected int sizeHint(CorrelationEvent event) {
    return OVERHEAD + (event instanceof CorrelationEvent.Webhook webhook ? webhook.webhook().body().length : 0);
  }

  @Override
  protected void write(DataOutputStream out, CorrelationEvent event) throws IOException {
    if (event instanceof CorrelationEvent.Task task) {
      out.writeByte(TASK);
      RecordCodec.writeTask(out, task.task());
    } else if (event instanceof CorrelationEvent.Cancel cancel) {
      out.writeByte(CANCEL);
      RecordCodec.writeCancel(out, cancel.cancel());
    } else if (event instanceof CorrelationEvent.Webhook webhook) {
      out.writeByte(WEBHOOK);
      RecordCodec.writeWebhook(out, webhook.webhook());
    }
  }

  @Override
  protected CorrelationEvent readLegacy(String topic, byte[] data) {
    return LegacyJsonRecords.isJson(data) ? LegacyJsonRecords.event(topic, data) : null;
  }

  @Override
  protected CorrelationEvent read(DataInputStream in, byte format, String topic) throws IOException {
    if (format != FORMAT_1) {
      throw unknownVersion(topic, format);
    }
    byte kind = in.readByte();
    if (kind == TASK) {
      return new CorrelationEvent.Task(RecordCodec.readTask(in));
    }
    if (kind == CANCEL) {
      return new CorrelationEvent.Cancel(RecordCodec.readCancel(in));
    }
    if (kind == WEBHOOK) {
      return new CorrelationEvent.Webhook(RecordCodec.readWebhook(in));
    }
    throw unknown("kind", topic, kind);
  }
}
