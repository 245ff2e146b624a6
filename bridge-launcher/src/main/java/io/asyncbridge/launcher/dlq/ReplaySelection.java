package io.asyncbridge.launcher.dlq;

import java.time.Instant;
import java.util.Set;

/**
 * Which dead letters to replay: every given criterion must hold (an empty set or a null time means "any").
 *
 * @param since inclusive, by the time the request was dead-lettered
 * @param until exclusive
 */
record ReplaySelection(Set<String> codes, Set<String> taskIds, Instant since, Instant until) {

    boolean matches(String code, String taskId, Instant deadLetteredAt) {
        return (codes.isEmpty() || codes.contains(code))
            && (taskIds.isEmpty() || (taskId != null && taskIds.contains(taskId)))
            && (since == null || !deadLetteredAt.isBefore(since))
            && (until == null || deadLetteredAt.isBefore(until));
    }
}
