package io.asyncbridge.ingest.topology;

import java.time.Duration;

/**
 * Ingest's own knobs.
 *
 * @param dedupeRetention how long a taskId is remembered after its task left ingest; a request with the same taskId
 *     within this time is not sent again
 * @param maxRequestBytes larger request records are dead-lettered
 * @param tick how often due work (retries, deadlines, expiries) is looked for
 */
public record IngestSettings(Duration dedupeRetention, int maxRequestBytes, Duration tick) {

  public static IngestSettings defaults() {
    return new IngestSettings(Duration.ofDays(7), 1024 * 1024, Duration.ofMillis(100));
  }
}
