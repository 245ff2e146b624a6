package io.asyncbridge.callbacks.cancel;

import java.time.Duration;

/**
 * Makes the cancel call of a callback-mode provider that declares one, for a task cancelled while its webhook is
 * awaited (best effort, before its completion). The answer goes to the job's {@link CancelAnswers}.
 */
public interface CancelCalls {

  /** What became of a cancel call asked for. */
  enum Start {
    /** The call is out; its answer will come to the job's queue. */
    STARTED,
    /** The provider's concurrency budget, rate limit or Retry-After holds the call back: ask again later. */
    NOT_NOW,
    /** The call cannot be made here (no cancel call for the provider, or stopping): end the task without it. */
    UNAVAILABLE
  }

  /** No provider has a cancel call. */
  CancelCalls NONE = new CancelCalls() {
    @Override
    public boolean cancels(String provider) {
      return false;
    }

    @Override
    public Duration timeout(String provider) {
      return Duration.ZERO;
    }

    @Override
    public Start tryCancel(CancelJob job) {
      return Start.UNAVAILABLE;
    }
  };

  /** Whether this provider has a cancel call. */
  boolean cancels(String provider);

  /** How long a call of this provider may take before its answer no longer counts. */
  Duration timeout(String provider);

  /** Starts the cancel call of a task. */
  Start tryCancel(CancelJob job);

  /** A stream task took a partition of the webhooks topic: the rate limits follow what this instance owns. */
  default void partitionOwned(int partition) {
  }

  /** A stream task gave a partition of the webhooks topic up. */
  default void partitionReleased(int partition) {
  }
}
