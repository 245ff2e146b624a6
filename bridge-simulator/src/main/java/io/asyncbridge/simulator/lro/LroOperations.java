package io.asyncbridge.simulator.lro;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Accepted operations of both simulated APIs by id, create calls by scenario; finished ones dropped after a while. */
public final class LroOperations {

    private final Map<String, LroOperation> operations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> createCalls = new ConcurrentHashMap<>();
    private final long retentionMillis;
    private final LongAdder cancelCalls = new LongAdder();

    LroOperations(long retentionMillis) {
        this.retentionMillis = retentionMillis;
    }

    void add(LroOperation operation) {
        operations.put(operation.id(), operation);
    }

    LroOperation find(String id) {
        return operations.get(id);
    }

    void recordCancelCall() {
        cancelCalls.increment();
    }

    /** Cancel calls received (google-lro's {@code :cancel}), answered or refused. */
    public long cancelCalls() {
        return cancelCalls.sum();
    }

    /** Whether a cancel call ended this operation. */
    public boolean cancelled(String id) {
        LroOperation operation = operations.get(id);
        return operation != null && operation.cancelled();
    }

    void recordCreate(String scenarioKey) {
        createCalls.computeIfAbsent(scenarioKey, key -> new LongAdder()).increment();
    }

    /** Create calls seen with this scenario (its normalized header), faulty answers included. */
    public long createCalls(String scenarioKey) {
        LongAdder calls = createCalls.get(scenarioKey);
        return calls == null ? 0 : calls.sum();
    }

    /** Polls of an operation's status URL so far (0 for an unknown id). */
    public int polls(String id) {
        LroOperation operation = operations.get(id);
        return operation == null ? 0 : operation.polls().get();
    }

    /** How long after its creation the operation was polled first; empty before the first poll. */
    public OptionalLong firstPollAfterMillis(String id) {
        LroOperation operation = operations.get(id);
        if (operation == null || operation.firstPollMillis().get() < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(operation.firstPollMillis().get() - operation.createdMillis());
    }

    /** The shortest time between two polls of the operation; empty before its second poll. */
    public OptionalLong shortestPollGapMillis(String id) {
        LroOperation operation = operations.get(id);
        if (operation == null || operation.shortestPollGapMillis().get() == Long.MAX_VALUE) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(operation.shortestPollGapMillis().get());
    }

    public int size() {
        return operations.size();
    }

    void sweep(long nowMillis) {
        operations.values().removeIf(operation -> nowMillis > operation.evictableAfter(retentionMillis));
    }
}
