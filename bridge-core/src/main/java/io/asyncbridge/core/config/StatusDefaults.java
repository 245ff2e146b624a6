package io.asyncbridge.core.config;

import java.util.List;
import java.util.Set;

/** The status rules each built-in provider type starts from; every one of them can be overridden key by key. */
final class StatusDefaults {

  /** Keys of {@code status} that only the poller uses. */
  static final List<String> POLL_ONLY_KEYS = List.of("canceled", "errorPointer", "donePointer", "resultPointer");

  private StatusDefaults() {
  }

  static StatusRules of(ProviderType type) {
    return switch (type) {
      case ACQUIA -> new StatusRules("/status", "/progress", Set.of("completed", "succeeded"), Set.of("failed"),
          Set.of("in-progress", "in_progress", "started"), List.of());
      case CLOUD_ELEMENTS -> new StatusRules("/eventStatus", "", Set.of("completed", "succeeded", "success"),
          Set.of("failed", "error"), Set.of("dispatched", "pending", "processing"), List.of("/response/error", "/error"));
      // Azure's status monitor (Azure-AsyncOperation, Operation-Location) and RFC 9110 Location polling.
      case HTTP_LRO -> new StatusRules("/status", "/percentComplete", Set.of("succeeded"), Set.of("failed"),
          Set.of("notstarted", "running", "inprogress"), List.of(), Set.of("canceled", "cancelled"), "/error", "", "",
          true);
      // AIP-151: {name, metadata, done, error | response}; no status words, the done flag decides.
      case GOOGLE_LRO -> new StatusRules("", "", Set.of(), Set.of(), Set.of(), List.of(), Set.of(), "/error", "/done",
          "/response", false);
      default -> new StatusRules("/status", "", Set.of(), Set.of(), Set.of(), List.of());
    };
  }
}
