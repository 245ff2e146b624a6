package io.asyncbridge.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How to read the upstream's notion of done from a notification resource or webhook body.
 *
 * @param statusPointer JSON pointer to the status word
 * @param progressPointer JSON pointer to a 0-100 progress estimate, empty when the API has none
 * @param succeeded words meaning success; matched case-insensitively
 * @param failed words meaning failure
 * @param running words meaning still running; any other word is logged and also treated as running, never as success
 * @param failedWhenPresent JSON pointers whose presence (non-null) means the task failed, e.g. {@code /response/error}
 * @param canceled words meaning the upstream canceled the task: a failure with its own error code (poll mode)
 * @param errorPointer JSON pointer to the upstream's error object ({@code code}, {@code message}) whose content
 *     explains a failure; empty when the API has none (poll mode)
 * @param donePointer JSON pointer to a boolean that says whether the task ended (AIP-151 {@code done}); when set it
 *     decides instead of status words: ended with an error at {@code errorPointer} is failed, otherwise succeeded
 *     (poll mode)
 * @param resultPointer JSON pointer to what becomes the completion's result on success (AIP-151 {@code response});
 *     empty means the whole resource (poll mode)
 * @param finalWithoutStatus RFC 9110 status-URL semantics ({@code http-lro}): a 2xx answer other than 202 that
 *     carries no status word is the final resource, so the task succeeded; a 202 means still running
 */
public record StatusRules(
    String statusPointer,
    String progressPointer,
    Set<String> succeeded,
    Set<String> failed,
    Set<String> running,
    List<String> failedWhenPresent,
    Set<String> canceled,
    String errorPointer,
    String donePointer,
    String resultPointer,
    boolean finalWithoutStatus) {

  public StatusRules {
    succeeded = lower(succeeded);
    failed = lower(failed);
    running = lower(running);
    canceled = lower(canceled);
    failedWhenPresent = List.copyOf(failedWhenPresent);
  }

  /** Rules of a status word only (the seed types and {@code generic} without the long-running-operation keys). */
  public StatusRules(String statusPointer, String progressPointer, Set<String> succeeded, Set<String> failed,
      Set<String> running, List<String> failedWhenPresent) {
    this(statusPointer, progressPointer, succeeded, failed, running, failedWhenPresent, Set.of(), "", "", "", false);
  }

  /** What a status word means. */
  public enum Outcome { SUCCEEDED, FAILED, RUNNING, UNKNOWN }

  /** What a status word means; a canceled word is {@link Outcome#FAILED} (see {@link #isCanceled(String)}). */
  public Outcome classify(String word) {
    if (word == null) {
      return Outcome.UNKNOWN;
    }
    String normalized = word.trim().toLowerCase(Locale.ROOT);
    if (succeeded.contains(normalized)) {
      return Outcome.SUCCEEDED;
    }
    if (failed.contains(normalized) || canceled.contains(normalized)) {
      return Outcome.FAILED;
    }
    return running.contains(normalized) ? Outcome.RUNNING : Outcome.UNKNOWN;
  }

  /** Whether the word says the upstream canceled the task (a failure of its own kind). */
  public boolean isCanceled(String word) {
    return word != null && canceled.contains(word.trim().toLowerCase(Locale.ROOT));
  }

  /** Whether a boolean at {@link #donePointer()} decides instead of status words (AIP-151). */
  public boolean decidesByDoneFlag() {
    return !donePointer.isEmpty();
  }

  private static Set<String> lower(Set<String> words) {
    return words.stream().map(word -> word.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }
}
