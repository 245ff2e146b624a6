package io.asyncbridge.launcher.status;

import io.vertx.core.json.JsonObject;

/** A status answer as lines for a terminal: where the task is, then each part, then its completion. */
final class StatusText {

    private StatusText() {
    }

    static String render(JsonObject answer) {
        StringBuilder text = new StringBuilder();
        line(text, "task", answer.getString("taskId") + "  (" + answer.getString("provider", "?")
            + (answer.getString("mode") == null ? "" : ", " + answer.getString("mode")) + ")");
        line(text, "state", answer.getString("state"));
        JsonObject ingest = answer.getJsonObject("ingest");
        if (ingest != null) {
            String state = ingest.getString("state");
            if ("ended".equals(state)) {
                String outcome = ingest.getString("outcome", "ended");
                line(text, "ingest", "handed_over".equals(outcome) ? "handed to the " + ingest.getString("mode", "?")
                    + " path" + (ingest.getString("correlationId") == null ? "" : " (correlation id "
                    + ingest.getString("correlationId") + ")") : outcome);
            } else {
                line(text, "ingest", state + ", attempt " + ingest.getInteger("attempt", 0) + ", failures "
                    + ingest.getInteger("failures", 0)
                    + optional(", next attempt at ", ingest.getString("nextAttemptAt"))
                    + optional(", last error: ", ingest.getString("lastError")));
            }
        }
        JsonObject poller = answer.getJsonObject("poller");
        if (poller != null) {
            int progress = poller.getInteger("progress", -1);
            line(text, "poller", (progress < 0 ? "no progress yet" : "progress " + progress + "%")
                + (poller.getBoolean("pollInFlight", false) ? ", a poll is in flight" : "")
                + optional(", next poll at ", poller.getString("nextPollAt"))
                + (poller.containsKey("attempt") ? " (polls so far: " + poller.getInteger("attempt") + ")" : "")
                + optional(", deadline ", poller.getString("deadline")));
            if (poller.getString("notFoundSince") != null) {
                line(text, "", "the notification answers 404 since " + poller.getString("notFoundSince"));
            }
        }
        JsonObject callbacks = answer.getJsonObject("callbacks");
        if (callbacks != null) {
            line(text, "callbacks", callbacks.getString("phase", "?").replace('_', ' ')
                + optional(", correlation id ", callbacks.getString("correlationId"))
                + optional(", deadline ", callbacks.getString("deadline"))
                + (callbacks.getBoolean("earlyWebhookHeld", false) ? ", an early webhook is held" : ""));
        }
        JsonObject completion = answer.getJsonObject("completion");
        if (completion != null) {
            JsonObject error = completion.getValue("error") instanceof JsonObject e ? e : null;
            line(text, "completion", completion.getString("status") + " via " + completion.getString("via")
                + optional(" at ", completion.getString("completedAt"))
                + (error == null ? "" : " (" + error.getString("code") + ": " + error.getString("message") + ")"));
        }
        JsonObject incomplete = answer.getJsonObject("incomplete");
        if (incomplete != null) {
            incomplete.forEach(entry -> line(text, "not asked", entry.getKey() + ": " + entry.getValue()));
        }
        return text.toString().stripTrailing();
    }

    private static String optional(String prefix, String value) {
        return value == null ? "" : prefix + value;
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format("%-11s %s%n", label, value));
    }
}
