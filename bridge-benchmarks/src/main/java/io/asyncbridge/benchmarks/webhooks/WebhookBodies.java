package io.asyncbridge.benchmarks.webhooks;

import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.simulator.elements.ElementsSignature;
import java.nio.charset.StandardCharsets;

/** Cloud-Elements-style webhook bodies of about 1 KiB, and their seed signature. */
public final class WebhookBodies {

  public static final int TARGET_BYTES = 1024;

  private WebhookBodies() {
  }

  /** A body for the given eventId, padded to {@value #TARGET_BYTES} bytes with a realistic-looking file list. */
  public static byte[] body(String eventId) {
    StringBuilder json = new StringBuilder(TARGET_BYTES + 64);
    json.append("{\"eventId\":\"").append(eventId).append("\",\"instanceId\":481516,\"notificationId\":2342,")
        .append("\"eventStatus\":\"completed\",\"response\":{\"events\":[{\"path\":\"/reports/2026/q4\",")
        .append("\"metadata\":{\"name\":\"q4\",\"type\":\"folder\",\"size\":0}}]},\"files\":\"");
    int padding = TARGET_BYTES - json.length() - 2; // the closing "}
    for (int i = 0; i < padding; i++) {
      json.append((char) ('a' + i % 26));
    }
    json.append("\"}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static String signature(byte[] body) {
    return ElementsSignature.sign(BenchConfigs.CE_KEY, body);
  }
}
