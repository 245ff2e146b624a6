package io.asyncbridge.poller.poll;

/** What one poll found out. */
public enum PollOutcome {
  /** The upstream task still runs (including status words this bridge does not know). */
  RUNNING,
  /** The upstream task ended successfully. */
  SUCCEEDED,
  /** The upstream task ended in failure. */
  FAILED,
  /** The notification answered 404: tolerated for a grace period, the API is not real time. */
  NOT_FOUND,
  /** 429 or 503 with Retry-After: wait at least that long. */
  THROTTLED,
  /** No usable answer this time (5xx, timeout, connection error, not JSON): poll again later. */
  RETRY,
  /** Polling cannot succeed (host not allowed, answer too large, 4xx): the task fails. */
  FATAL;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == FATAL;
  }
}
