package io.asyncbridge.poller.poll;

/**
 * Makes a provider's cancel call for a task being cancelled (best effort, before its completion). The answer goes to
 * the job's queue like a poll's, for the same attempt: {@link PollOutcome#SUCCEEDED} when the upstream accepted the
 * cancel (2xx), {@link PollOutcome#FAILED} with its HTTP status when it refused it, {@link PollOutcome#RETRY} when it
 * could not be reached or did not answer.
 */
public interface CancelCaller {

  /** Providers without a cancel call: none makes one. */
  CancelCaller NONE = new CancelCaller() {
    @Override
    public boolean cancels(String provider) {
      return false;
    }

    @Override
    public boolean tryCancel(PollJob job) {
      return false;
    }
  };

  /** Whether this provider has a cancel call. */
  boolean cancels(String provider);

  /**
   * Starts the cancel call of a task whose {@code url} is its notification URL.
   *
   * @return false when the call cannot start now (no cancel call, or stopping); the task is then ended without it
   */
  boolean tryCancel(PollJob job);
}
