package io.asyncbridge.core.status;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one answer of an upstream says about its task, read with the provider's status rules.
 *
 * @param state what the answer means
 * @param word the status word as received, or null (AIP-151 operations have none)
 * @param progress a usable 0-100 estimate, or null
 * @param result SUCCEEDED: what becomes the completion's result (may be null); FAILED: the resource as received
 * @param errorCode FAILED only: {@code upstream_failed} or {@code upstream_canceled}
 * @param message FAILED: why, with the upstream's own error code and message when it gave them; UNKNOWN: what was
 *     not understood
 */
public record StatusReading(State state, String word, Integer progress, JsonNode result, String errorCode,
    String message) {

  /** What an answer means for its task. */
  public enum State {
    /** The task ended well. */
    SUCCEEDED,
    /** The task ended badly, or was canceled upstream ({@link #errorCode()} tells which). */
    FAILED,
    /** The task still runs. */
    RUNNING,
    /** The answer says nothing this bridge understands (an unknown word, done not a boolean): still running. */
    UNKNOWN,
    /** The answer is not a JSON resource the rules can read at all. */
    NOT_A_RESOURCE
  }

  public boolean terminal() {
    return state == State.SUCCEEDED || state == State.FAILED;
  }

  static StatusReading running(String word, Integer progress) {
    return new StatusReading(State.RUNNING, word, progress, null, null, null);
  }

  static StatusReading unknown(String word, Integer progress, String problem) {
    return new StatusReading(State.UNKNOWN, word, progress, null, null, problem);
  }

  static StatusReading succeeded(String word, Integer progress, JsonNode result) {
    return new StatusReading(State.SUCCEEDED, word, progress, result, null, null);
  }

  static StatusReading failed(String word, Integer progress, JsonNode resource, String code, String message) {
    return new StatusReading(State.FAILED, word, progress, resource, code, message);
  }

  static StatusReading notAResource() {
    return new StatusReading(State.NOT_A_RESOURCE, null, null, null, null, "the answer is not a JSON object");
  }
}
