package io.asyncbridge.callbacks.cancel;

/**
 * What the upstream said to a cancel call.
 *
 * @param httpStatus the answer's status; 0 without an answer
 */
public record CancelAnswer(String key, String taskId, int attempt, Outcome outcome, int httpStatus) {

  /** How the call ended. */
  public enum Outcome {
    /** A 2xx answer. */
    ACCEPTED,
    /** Any other answer. */
    REFUSED,
    /** No answer: the upstream could not be reached, or the call failed before one came. */
    NO_ANSWER
  }

  /** The words of the task's completion, the same as the poller's for its cancel calls. */
  public String describe() {
    return switch (outcome) {
      case ACCEPTED -> "the upstream accepted the cancel call (HTTP " + httpStatus + ")";
      case REFUSED -> "the upstream refused the cancel call (HTTP " + httpStatus + ")";
      case NO_ANSWER -> "the cancel call got no answer";
    };
  }
}
