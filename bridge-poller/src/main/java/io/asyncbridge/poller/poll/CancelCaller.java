package io.asyncbridge.poller.poll;

/**
 * Makes a provider's cancel call for a task being cancelled (best effort, before its completion). The answer goes to
 * the job's queue like a poll's, for the same attempt: {@link PollOutcome#SUCCEEDED} when the upstream accepted the
 * cancel (2xx), {@link PollOutcome#FAILED} with its HTTP status when it refused it, {@link PollOutcome#RETRY} when it
 * could not be reached or did not answer.
 */
public interface CancelCaller {

  /** What became of a cancel call asked for. */
  enum Start {
    /** The call is out; its answer will come to the job's queue. */
    STARTED,
    /** The provider's concurrency budget, rate limit or Retry-After holds the call back: ask again later. */
    NOT_NOW,
    /** The call cannot be made here (no cancel call for the provider, or stopping): end the task without it. */
    UNAVAILABLE
  }

  /** Providers without a cancel call: none makes one. */
  CancelCaller NONE = new CancelCaller() {
    @Override
    public boolean cancels(String provider) {
      return false;
    }

    @Override
    public Start tryCancel(PollJob job) {
      return Start.UNAVAILABLE;
    }
  };

  /** Whether this provider has a cancel call. */
  boolean cancels(String provider);

  /** Starts the cancel call of a task whose {@code url} is its notification URL. */
  Start tryCancel(PollJob job);
}
