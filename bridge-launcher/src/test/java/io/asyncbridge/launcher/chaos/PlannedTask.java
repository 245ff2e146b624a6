package io.asyncbridge.launcher.chaos;

import io.asyncbridge.schemas.CompletionStatus;

/**
 * One request record of a run and what must come of it, decided before it is sent.
 *
 * @param recordKey      the record's key (the taskId, except for the deliberately wrong-keyed request)
 * @param taskId         the taskId a completion will carry, or {@code null} when none can be read (no completion)
 * @param provider       {@code acquia} (poll), {@code documents} (callback), or what an invalid request names
 * @param method         the HTTP method the upstream is called with
 * @param scenario       the simulator scenario, or the kind of invalid request
 * @param value          the record's value
 * @param status         the completion status the scenario determines, {@code null} when no completion is due
 * @param errorCode      the completion's error code, {@code null} for {@code succeeded}
 * @param deadLetterCode the dead-letter reason when the request must land in the DLQ, else {@code null}
 */
record PlannedTask(String recordKey, String taskId, String provider, String method, String scenario, byte[] value,
        CompletionStatus status, String errorCode, String deadLetterCode) {

    boolean valid() {
        return deadLetterCode == null;
    }

    boolean callback() {
        return TaskMix.CALLBACK_PROVIDER.equals(provider) && valid();
    }

    boolean poll() {
        return valid() && !callback();
    }

    /**
     * Whether a crash while its call is in flight may end it {@code dispatch_outcome_unknown}: a POST to the provider
     * that keeps the default policy (auto); the others resend.
     */
    boolean unknownOutcomePossible() {
        return valid() && TaskMix.STRICT_POLL_PROVIDER.equals(provider) && "POST".equals(method);
    }

    /**
     * The create calls the simulator should count for this task without any crash: one, plus one per planned 429,
     * 5xx and connection reset.
     */
    int plannedCreateCalls() {
        if (!valid()) {
            return 0;
        }
        int calls = 1;
        for (String option : scenario.split(",")) {
            String[] word = option.split("=");
            if (word.length == 2 && (word[0].equals("create429") || word[0].equals("create5xx")
                    || word[0].equals("reset"))) {
                calls += Integer.parseInt(word[1]);
            }
        }
        return calls;
    }
}
