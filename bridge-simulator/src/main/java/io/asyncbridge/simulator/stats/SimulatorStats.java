package io.asyncbridge.simulator.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe counters of what the simulator saw and did, for tests to assert on. The {@code record*} methods
 * are called by the simulator itself. The webhook attempt log keeps the latest {@value #MAX_ATTEMPTS_KEPT}
 * attempts so a long-running simulator stays bounded; the counters are never trimmed.
 */
public final class SimulatorStats {

    static final int MAX_ATTEMPTS_KEPT = 100_000;

    private final LongAdder tokensIssued = new LongAdder();
    private final LongAdder tokenRequestsRejected = new LongAdder();
    private final LongAdder unauthorizedRequests = new LongAdder();
    private final LongAdder acquiaCreateCalls = new LongAdder();
    private final LongAdder elementsCreateCalls = new LongAdder();
    private final LongAdder totalPolls = new LongAdder();
    private final LongAdder idempotentReplays = new LongAdder();
    private final LongAdder webhooksSent = new LongAdder();
    private final LongAdder webhooksDelivered = new LongAdder();
    private final Map<String, LongAdder> createCallsByScenario = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pollsByNotification = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> elementsCancelsByEvent = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<WebhookAttempt> attempts = new ConcurrentLinkedDeque<>();
    private final AtomicInteger attemptsKept = new AtomicInteger();

    /** Access tokens the Acquia token endpoint issued. */
    public long tokensIssued() {
        return tokensIssued.sum();
    }

    /** Token requests answered 400/401 (bad credentials, unsupported grant). */
    public long tokenRequestsRejected() {
        return tokenRequestsRejected.sum();
    }

    /** API calls answered 401 because of a missing, unknown or expired token or a wrong Elements authorization. */
    public long unauthorizedRequests() {
        return unauthorizedRequests.sum();
    }

    /** Authorized Acquia task-creating calls (any POST/PUT/PATCH/DELETE under /api/), faulty answers included. */
    public long acquiaCreateCalls() {
        return acquiaCreateCalls.sum();
    }

    /** Authorized Cloud Elements calls, faulty answers included. */
    public long elementsCreateCalls() {
        return elementsCreateCalls.sum();
    }

    /** Authorized cancel calls of one Cloud Elements job ({@code POST|DELETE /jobs/{eventId}/cancel}), any answer. */
    public int elementsCancelCalls(long eventId) {
        AtomicInteger calls = elementsCancelsByEvent.get(eventId);
        return calls == null ? 0 : calls.get();
    }

    /** Authorized cancel calls of Cloud Elements jobs, all jobs together. */
    public int elementsCancelCalls() {
        return elementsCancelsByEvent.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void recordElementsCancel(long eventId) {
        elementsCancelsByEvent.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
    }

    /** Create calls answered with the first answer to their {@code Idempotency-Key}, starting no second job. */
    public long idempotentReplays() {
        return idempotentReplays.sum();
    }

    public void recordIdempotentReplay() {
        idempotentReplays.increment();
    }

    public long createCalls() {
        return acquiaCreateCalls() + elementsCreateCalls();
    }

    /** Create calls of both APIs by normalized scenario ({@code "success"} when no header was sent). */
    public Map<String, Long> createCallsByScenario() {
        Map<String, Long> copy = new TreeMap<>();
        createCallsByScenario.forEach((scenario, count) -> copy.put(scenario, count.sum()));
        return copy;
    }

    public long createCalls(String scenario) {
        LongAdder count = createCallsByScenario.get(scenario);
        return count == null ? 0 : count.sum();
    }

    /** GETs of one notification, whatever they were answered (404, 429, 503 and 200 all count). */
    public int polls(String notificationUuid) {
        AtomicInteger count = pollsByNotification.get(notificationUuid);
        return count == null ? 0 : count.get();
    }

    public long totalPolls() {
        return totalPolls.sum();
    }

    /** Webhook delivery attempts, retries and duplicates included. */
    public long webhooksSent() {
        return webhooksSent.sum();
    }

    /** Webhook delivery attempts that got a 2xx answer. */
    public long webhooksDelivered() {
        return webhooksDelivered.sum();
    }

    /** The latest webhook attempts in the order they finished. */
    public List<WebhookAttempt> webhookAttempts() {
        return List.copyOf(attempts);
    }

    public List<WebhookAttempt> webhookAttempts(long eventId) {
        List<WebhookAttempt> result = new ArrayList<>();
        for (WebhookAttempt attempt : attempts) {
            if (attempt.eventId() == eventId) {
                result.add(attempt);
            }
        }
        return result;
    }

    /** The HTTP status each attempt for one event got, in order ({@link WebhookAttempt#NO_ANSWER} for none). */
    public List<Integer> webhookStatuses(long eventId) {
        return webhookAttempts(eventId).stream().map(WebhookAttempt::status).toList();
    }

    public void recordTokenIssued() {
        tokensIssued.increment();
    }

    public void recordTokenRejected() {
        tokenRequestsRejected.increment();
    }

    public void recordUnauthorized() {
        unauthorizedRequests.increment();
    }

    public void recordAcquiaCreate(String scenario) {
        acquiaCreateCalls.increment();
        createCallsByScenario.computeIfAbsent(scenario, key -> new LongAdder()).increment();
    }

    public void recordElementsCreate(String scenario) {
        elementsCreateCalls.increment();
        createCallsByScenario.computeIfAbsent(scenario, key -> new LongAdder()).increment();
    }

    /** Returns the number of polls of this notification so far, this one included. */
    public int recordPoll(String notificationUuid) {
        totalPolls.increment();
        return pollsByNotification.computeIfAbsent(notificationUuid, key -> new AtomicInteger()).incrementAndGet();
    }

    /** Called when a notification's state is dropped, so the per-notification map stays bounded. */
    public void forgetNotification(String notificationUuid) {
        pollsByNotification.remove(notificationUuid);
    }

    public void recordWebhookAttempt(WebhookAttempt attempt) {
        webhooksSent.increment();
        if (attempt.succeeded()) {
            webhooksDelivered.increment();
        }
        attempts.addLast(attempt);
        if (attemptsKept.incrementAndGet() > MAX_ATTEMPTS_KEPT && attempts.pollFirst() != null) {
            attemptsKept.decrementAndGet();
        }
    }
}
