package io.asyncbridge.core.config;

import java.util.Locale;
import java.util.Set;

/**
 * How to read the upstream's notion of done from a notification resource or webhook body.
 *
 * @param statusPointer JSON pointer to the status word
 * @param progressPointer JSON pointer to a 0-100 progress estimate, empty when the API has none
 * @param succeeded words meaning success; matched case-insensitively
 * @param failed words meaning failure
 * @param running words meaning still running; any other word is logged and also treated as running, never as success
 * @param failedWhenPresent JSON pointers whose presence (non-null) means the task failed, e.g. {@code /response/error}
 */
public record StatusRules(
    String statusPointer,
    String progressPointer,
    Set<String> succeeded,
    Set<String> failed,
    Set<String> running,
    java.util.List<String> failedWhenPresent) {

  public StatusRules {
    succeeded = lower(succeeded);
    failed = lower(failed);
    running = lower(running);
    failedWhenPresent = java.util.List.copyOf(failedWhenPresent);
  }

  /** What a status word means. */
  public enum Outcome { SUCCEEDED, FAILED, RUNNING, UNKNOWN }

  public Outcome classify(String word) {
    if (word == null) {
      return Outcome.UNKNOWN;
    }
    String normalized = word.trim().toLowerCase(Locale.ROOT);
    if (succeeded.contains(normalized)) {
      return Outcome.SUCCEEDED;
    }
    if (failed.contains(normalized)) {
      return Outcome.FAILED;
    }
    return running.contains(normalized) ? Outcome.RUNNING : Outcome.UNKNOWN;
  }

  private static Set<String> lower(Set<String> words) {
    return words.stream().map(word -> word.trim().toLowerCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }
}
