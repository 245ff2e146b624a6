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
    // Half of Kafka's default 1 MiB record limit: the request is kept in the task's store entry and copied whole
    // to the dead-letter topic with headers, and both must still fit.
    return new IngestSettings(Duration.ofDays(7), 512 * 1024, Duration.ofMillis(100));
  }
}
