package io.asyncbridge.launcher.chaos;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.simulator.stats.WebhookAttempt;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * Judges a run against its plan, from what a read_committed consumer saw and what the simulator recorded. Every
 * list holds one readable line per problem (task ids and codes only: callback URLs carry tokens and are never shown).
 *
 * @param lost                 tasks due a completion that have none
 * @param duplicated           tasks with more than one completion
 * @param wrongStatus          completions whose status or error code is not what the scenario determines
 * @param unknownOutcome       tasks ended {@code dispatch_outcome_unknown} while an outage of ingest or the broker
 *                             overlapped their life (the documented exception for a POST in flight during a crash)
 * @param unexplained          {@code dispatch_outcome_unknown} endings that no outage explains, or of a task whose
 *                             provider resends (both are bugs)
 * @param strangers            completions of taskIds that were never planned
 * @param deadLetterProblems   dead letters missing, extra, or with the wrong reason
 * @param badEvents            completions breaking the schema or the CloudEvents subject
 * @param webhooksAcknowledged webhook attempts the bridge answered 2xx
 * @param unreflected          2xx webhooks whose task did not complete from that webhook
 * @param orphanWebhooks       2xx webhooks of tasks that ended {@code dispatch_outcome_unknown}: the bridge never
 *                             learned their event id, so they cannot be reflected (counted, not a failure)
 * @param supersededWebhooks   2xx webhooks of a first upstream job whose create call was sent again after a crash
 *                             (policy resend); the task completed, with its scenario's status, from the second job
 */
record Verdict(List<String> lost, List<String> duplicated, List<String> wrongStatus, List<String> unknownOutcome,
        List<String> unexplained, List<String> strangers, List<String> deadLetterProblems, List<String> badEvents,
        long webhooksAcknowledged, List<String> unreflected, long orphanWebhooks, long supersededWebhooks) {

    private static final String CALLBACK_PATH = "/callbacks/" + TaskMix.CALLBACK_PROVIDER + "/";

    /**
     * @param explains whether an outage (of ingest or the broker) overlapped the interval from a task's submission to
     *                 its completion
     */
    static Verdict judge(List<PlannedTask> plan, Ledger ledger, List<WebhookAttempt> attempts,
            BiPredicate<Instant, Instant> explains) {
        Map<String, List<Completion>> completions = ledger.completions();
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        Map<String, PlannedTask> byTaskId = new HashMap<>();
        for (PlannedTask task : plan) {
            if (task.taskId() == null) {
                continue;
            }
            byTaskId.put(task.taskId(), task);
            List<Completion> seen = completions.getOrDefault(task.taskId(), List.of());
            if (seen.isEmpty()) {
                lost.add(task.taskId() + " (" + task.scenario() + ")");
                continue;
            }
            if (seen.size() > 1) {
                duplicated.add(task.taskId() + " x" + seen.size() + " " + seen.stream()
                        .map(c -> c.status().wireName() + "/" + lower(c.via())).toList());
            }
            Completion completion = seen.get(0);
            String code = completion.error() == null ? null : completion.error().code();
            if (ErrorCode.DISPATCH_OUTCOME_UNKNOWN.code().equals(code)) {
                String line = task.taskId() + " " + task.method() + " (" + task.scenario() + ") submitted "
                        + completion.submittedAt() + ", ended " + completion.completedAt();
                if (task.unknownOutcomePossible() && explains.test(completion.submittedAt(), completion.completedAt())) {
                    unknown.add(line);
                } else {
                    unexplained.add(line + ": no ingest or broker outage in between, or its provider resends");
                }
            } else if (completion.status() != task.status() || !java.util.Objects.equals(code, task.errorCode())) {
                wrong.add(task.taskId() + " (" + task.scenario() + "): expected " + task.status().wireName()
                        + (task.errorCode() == null ? "" : "/" + task.errorCode()) + ", got "
                        + completion.status().wireName() + (code == null ? "" : "/" + code) + " via "
                        + lower(completion.via()));
            } else if (task.valid() && !"chaos".equals(completion.metadata().get("suite"))) {
                wrong.add(task.taskId() + ": metadata not echoed: " + completion.metadata());
            }
        }
        List<String> strangers = completions.keySet().stream().filter(id -> !byTaskId.containsKey(id)).sorted()
                .map(id -> id + " was never submitted").toList();
        Webhooks webhooks = webhooks(attempts, completions, byTaskId, explains);
        return new Verdict(lost, duplicated, wrong, unknown, unexplained, strangers,
                deadLetterProblems(plan, ledger.deadLetters()), ledger.badEvents(), webhooks.acknowledged(),
                webhooks.unreflected(), webhooks.orphans(), webhooks.superseded());
    }

    private record Webhooks(long acknowledged, List<String> unreflected, long orphans, long superseded) {
    }

    /** Each webhook the bridge answered 2xx must be the one its task completed from, or an explained exception. */
    private static Webhooks webhooks(List<WebhookAttempt> attempts, Map<String, List<Completion>> completions,
            Map<String, PlannedTask> byTaskId, BiPredicate<Instant, Instant> explains) {
        long acknowledged = 0;
        List<String> unreflected = new ArrayList<>();
        long orphans = 0;
        long superseded = 0;
        for (WebhookAttempt attempt : attempts) {
            if (!attempt.succeeded()) {
                continue;
            }
            acknowledged++;
            String taskId = taskIdOf(attempt.url());
            List<Completion> seen = completions.getOrDefault(taskId, List.of());
            Completion completion = seen.isEmpty() ? null : seen.get(0);
            if (completion != null && completion.via() == Via.CALLBACK && completion.upstream() != null
                    && String.valueOf(attempt.eventId()).equals(completion.upstream().eventId())) {
                continue;
            }
            if (completion != null && completion.error() != null
                    && ErrorCode.DISPATCH_OUTCOME_UNKNOWN.code().equals(completion.error().code())) {
                orphans++;
                continue;
            }
            PlannedTask task = byTaskId.get(taskId);
            if (completion != null && task != null && completion.via() == Via.CALLBACK
                    && completion.status() == task.status()
                    && explains.test(completion.submittedAt(), completion.completedAt())) {
                // The call was sent again after a crash left its outcome unknown (policy resend): the upstream ran a
                // second job, and the task completed from that job's webhook. The first job's webhook has no task.
                superseded++;
                continue;
            }
            unreflected.add("event " + attempt.eventId() + " of " + taskId + " (delivery " + attempt.delivery()
                    + ", attempt " + attempt.attempt() + ", HTTP " + attempt.status() + ") -> " + (completion == null
                    ? "no completion" : completion.status().wireName() + " via " + lower(completion.via())
                    + " event " + (completion.upstream() == null ? null : completion.upstream().eventId())));
        }
        return new Webhooks(acknowledged, unreflected, orphans, superseded);
    }

    private static String lower(Via via) {
        return via.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> deadLetterProblems(List<PlannedTask> plan, Map<String, List<String>> deadLetters) {
        Map<String, String> expected = plan.stream().filter(task -> task.deadLetterCode() != null)
                .collect(Collectors.toMap(PlannedTask::recordKey, PlannedTask::deadLetterCode));
        List<String> problems = new ArrayList<>();
        expected.forEach((key, code) -> {
            List<String> seen = deadLetters.getOrDefault(key, List.of());
            if (!seen.equals(List.of(code))) {
                problems.add(key + ": expected one dead letter " + code + ", got " + seen);
            }
        });
        Set<String> extra = new java.util.TreeSet<>(deadLetters.keySet());
        extra.removeAll(expected.keySet());
        extra.forEach(key -> problems.add(key + ": dead-lettered but valid: " + deadLetters.get(key)));
        return problems;
    }

    /** The taskId in {@code .../callbacks/<provider>/<taskId>/<token>}; the token is dropped, never shown. */
    static String taskIdOf(String callbackUrl) {
        String path = URI.create(callbackUrl).getPath();
        int start = path.indexOf(CALLBACK_PATH);
        if (start < 0) {
            return "<not a per-task callback URL>";
        }
        String rest = path.substring(start + CALLBACK_PATH.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** The first few entries of a problem list, for an assertion message. */
    static String sample(List<String> problems) {
        return problems.size() <= 20 ? String.join("\n  ", problems)
                : String.join("\n  ", problems.subList(0, 20)) + "\n  ... and " + (problems.size() - 20) + " more";
    }
}
