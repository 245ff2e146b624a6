package io.asyncbridge.simulator.acquia;

import io.asyncbridge.simulator.stats.SimulatorStats;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Accepted Acquia tasks by notification uuid; finished ones are dropped after the retention. */
public final class AcquiaTaskRegistry {

    private final Map<String, AcquiaTask> tasks = new ConcurrentHashMap<>();
    private final long retentionMillis;
    private final SimulatorStats stats;

    public AcquiaTaskRegistry(long retentionMillis, SimulatorStats stats) {
        this.retentionMillis = retentionMillis;
        this.stats = stats;
    }

    void add(AcquiaTask task) {
        tasks.put(task.uuid(), task);
    }

    AcquiaTask find(String uuid) {
        return tasks.get(uuid);
    }

    public int size() {
        return tasks.size();
    }

    public void sweep(long nowMillis) {
        for (Iterator<AcquiaTask> it = tasks.values().iterator(); it.hasNext(); ) {
            AcquiaTask task = it.next();
            if (nowMillis > task.evictableAfter(retentionMillis)) {
                it.remove();
                stats.forgetNotification(task.uuid());
            }
        }
    }
}
