package io.asyncbridge.simulator.acquia;

import io.asyncbridge.simulator.scenario.Scenario;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One accepted Acquia task. Its notification is computed from the elapsed time on every read, so thousands of
 * running tasks cost no timers at all.
 *
 * @param uuid           notification uuid
 * @param scenario       behaviour asked for on the create call
 * @param createdMillis  when the create call was accepted
 * @param durationMillis time until the task finishes (ignored by {@code never})
 * @param event          Acquia event name, e.g. {@code DatabaseCreated}
 * @param label          human label of the event
 * @param description    human description of the event
 * @param baseUrl        public base URL for the notification's links
 * @param authorUuid     user the context names as author
 */
record AcquiaTask(String uuid, Scenario scenario, long createdMillis, long durationMillis, String event, String label,
                  String description, String baseUrl, String authorUuid) {

    static final String STARTED = "started";
    static final String IN_PROGRESS_HYPHEN = "in-progress";
    static final String IN_PROGRESS_UNDERSCORE = "in_progress";
    static final String UNKNOWN_WORD = "queued";
    static final String COMPLETED = "completed";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";

    /** Seconds, with an explicit {@code +00:00} offset, as the seed's examples show. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    /** Running forever ({@code never}) is evicted after this long, so the registry stays bounded. */
    private static final long NEVER_TTL_MILLIS = 3_600_000;

    boolean runsForever() {
        return scenario.has("never");
    }

    boolean finishedAt(long nowMillis) {
        return !runsForever() && nowMillis - createdMillis >= durationMillis;
    }

    /** Whether the notification still answers 404 because the notification API lags behind ({@code lag404}). */
    boolean lagging(long nowMillis) {
        return nowMillis - createdMillis < scenario.number("lag404", 0);
    }

    long evictableAfter(long retentionMillis) {
        long end = runsForever() ? createdMillis + NEVER_TTL_MILLIS : createdMillis + durationMillis;
        return end + retentionMillis;
    }

    /**
     * The notification resource as the seed shows it.
     *
     * @param pollNumber 1-based number of this poll; it alternates the two spellings of "in progress"
     */
    Map<String, Object> notification(long nowMillis, int pollNumber) {
        long elapsed = Math.max(0, nowMillis - createdMillis);
        double fraction = (double) elapsed / durationMillis;
        boolean finished = finishedAt(nowMillis);
        boolean queued = !finished && scenario.has("unknown-word") && fraction < 0.5;

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uuid", uuid);
        body.put("event", event);
        body.put("label", label);
        body.put("description", description);
        body.put("created_at", format(createdMillis));
        body.put("started_at", queued ? null : format(createdMillis));
        body.put("completed_at", finished ? format(createdMillis + durationMillis) : null);
        body.put("status", finished ? finalStatus() : runningStatus(fraction, queued, pollNumber));
        body.put("progress", finished ? 100 : progress(fraction));
        body.put("context", context());
        body.put("_links", links());
        return body;
    }

    private String finalStatus() {
        if (scenario.has("fail")) {
            return FAILED;
        }
        return scenario.has("succeeded-word") ? SUCCEEDED : COMPLETED;
    }

    private static String runningStatus(double fraction, boolean queued, int pollNumber) {
        if (queued) {
            return UNKNOWN_WORD;
        }
        if (fraction < 0.15) {
            return STARTED;
        }
        // Real Acquia answers with both spellings (OpenAPI enum vs. docs prose); clients must accept either.
        return pollNumber % 2 == 1 ? IN_PROGRESS_HYPHEN : IN_PROGRESS_UNDERSCORE;
    }

    /** Linear in steps of 5, between 1 and 99 while running; a never-ending task stalls at 95. */
    private int progress(double fraction) {
        int stepped = (int) Math.floor(fraction * 20) * 5;
        int cap = runsForever() ? 95 : 99;
        return Math.max(1, Math.min(cap, stepped));
    }

    private Map<String, Object> context() {
        Map<String, Object> author = new LinkedHashMap<>();
        author.put("uuid", authorUuid);
        author.put("actual_uuid", authorUuid);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("author", author);
        context.put("user", Map.of("uuids", List.of(authorUuid)));
        return context;
    }

    private Map<String, Object> links() {
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", Map.of("href", baseUrl + "/api/notifications/" + uuid));
        links.put("parent", Map.of("href", baseUrl + "/api/notifications"));
        return links;
    }

    static String format(long epochMillis) {
        return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
    }
}
