package io.asyncbridge.testkit.transactions;

import io.asyncbridge.testkit.kafka.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches, for the length of a test, how long any partition stays stalled: its last stable offset pinned at one
 * value below its high watermark, so that read_committed readers cannot get past it. Under load the last stable
 * offset moves at every commit; a partition pinned for long is held by a transaction nobody ends.
 *
 * <p>Only time the broker answered counts: while it is down or loading, the clocks start again, so an outage is
 * not taken for a stall (and a stall across an outage is counted from the broker's return). The first time a stall
 * passes {@code recordAfter}, the open transactions and the partition's open producers are recorded with it.
 */
public final class StallMonitor implements AutoCloseable {

    /** The longest stall of one partition, and what held it when it was recorded. */
    public record Stall(TopicPartition partition, Duration longest, String transactions, String producers) {
    }

    private record Pinned(long lastStable, long sinceNanos) {
    }

    private final Admin admin;
    private final TransactionProbe probe;
    private final Predicate<String> topics;
    private final Duration every;
    private final Duration recordAfter;
    private final Thread thread;
    private final Map<TopicPartition, Pinned> pinned = new HashMap<>();
    private final Map<TopicPartition, Stall> stalls = new HashMap<>();
    private volatile boolean running = true;
    private List<TopicPartition> watched = List.of();
    private long watchedAtNanos;

    /**
     * @param topics      which topics to watch (internal ones such as {@code __consumer_offsets} included if it
     *                    says so)
     * @param recordAfter a stall this long is recorded with its transactions
     */
    public StallMonitor(String bootstrapServers, Predicate<String> topics, Duration every, Duration recordAfter) {
        this.admin = TopicAdmin.admin(bootstrapServers);
        this.probe = new TransactionProbe(admin);
        this.topics = topics;
        this.every = every;
        this.recordAfter = recordAfter;
        this.thread = new Thread(this::run, "stall-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    /** The longest stall seen on any partition so far (zero if none). */
    public synchronized Duration longest() {
        return stalls.values().stream().map(Stall::longest).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Every partition that was stalled longer than {@code recordAfter}, longest first. */
    public synchronized List<Stall> recorded() {
        return stalls.values().stream().filter(stall -> stall.longest().compareTo(recordAfter) >= 0)
                .sorted((a, b) -> b.longest().compareTo(a.longest())).toList();
    }

    private void run() {
        while (running) {
            try {
                observe();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                synchronized (this) {
                    pinned.clear(); // no answer: the broker is down or loading
                }
            }
            try {
                Thread.sleep(every.toMillis()); // a sampling period: there is no condition to await
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void observe() throws Exception {
        long now = System.nanoTime();
        if (watched.isEmpty() || now - watchedAtNanos > Duration.ofSeconds(30).toNanos()) {
            watched = partitions();
            watchedAtNanos = now;
        }
        Map<TopicPartition, Long> stable = probe.lastStableOffsets(watched);
        Map<TopicPartition, Long> end = probe.highWatermarks(watched);
        List<TopicPartition> toRecord = new ArrayList<>();
        synchronized (this) {
            for (TopicPartition partition : watched) {
                long lso = stable.get(partition);
                if (lso >= end.get(partition)) {
                    pinned.remove(partition);
                    continue;
                }
                Pinned before = pinned.get(partition);
                if (before == null || before.lastStable() != lso) {
                    pinned.put(partition, new Pinned(lso, now));
                    continue;
                }
                Duration stuck = Duration.ofNanos(now - before.sinceNanos());
                Stall known = stalls.get(partition);
                if (known == null || stuck.compareTo(known.longest()) > 0) {
                    stalls.put(partition, new Stall(partition, stuck, known == null ? "" : known.transactions(),
                            known == null ? "" : known.producers()));
                    if (stuck.compareTo(recordAfter) >= 0 && (known == null || known.transactions().isEmpty())) {
                        toRecord.add(partition);
                    }
                }
            }
        }
        for (TopicPartition partition : toRecord) {
            String transactions = String.valueOf(probe.unfinishedTransactions());
            String producers = String.valueOf(probe.openOnPartitions(List.of(partition)));
            synchronized (this) {
                Stall stall = stalls.get(partition);
                stalls.put(partition, new Stall(partition, stall.longest(), transactions, producers));
            }
            System.out.printf("stall monitor: %s stalled for %d s; unfinished transactions %s; open producers %s%n",
                    partition, stalls.get(partition).longest().toSeconds(), transactions, producers);
        }
    }

    private List<TopicPartition> partitions() throws Exception {
        List<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream()
                .filter(topics).toList();
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(names).allTopicNames().get().forEach((name, description) ->
                description.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        return partitions;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
