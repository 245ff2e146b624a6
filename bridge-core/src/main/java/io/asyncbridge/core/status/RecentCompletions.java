package io.asyncbridge.core.status;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recent completions, as published: every process with a management endpoint tails the completions topic
 * (read_committed, no consumer group, nothing written) and keeps the last {@code management.recentCompletions} in
 * memory, by taskId, plus per-minute counts by status for the last {@value #RATE_MINUTES} minutes. It starts that many
 * records before the end of each partition, so a restarted process shows the recent past at once.
 *
 * <p>Each process holds the same view, so an ended task is answered alike everywhere without routing. Memory is
 * bounded by the count (a completion's result is bounded too); older completions are not indexed: the status API then
 * says the task ended (ingest remembers that for 7 days) without the completion's body.
 */
public final class RecentCompletions implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RecentCompletions.class);
  static final int RATE_MINUTES = 15;

  private final int capacity;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> byTask = new LinkedHashMap<>(16, 0.75f, false);
  /** Minute (epoch millis / 60,000) to counts by status. */
  private final TreeMap<Long, Map<String, Long>> perMinute = new TreeMap<>();
  private final Map<String, Object> consumerProps;
  private final String topic;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;
  private volatile boolean running;
  private volatile boolean caughtUp;

  /** One completion as published, with the fields the view lists. */
  public record Entry(String taskId, String provider, String status, String via, String errorCode,
                      String completedAt, long timestamp, byte[] value) {

    /** The completion's JSON as published. */
    public JsonObject completion() {
      return new JsonObject(Buffer.buffer(value));
    }

    /** The fields a list shows. */
    public JsonObject summary() {
      return new JsonObject().put("taskId", taskId).put("provider", provider).put("status", status).put("via", via)
          .put("errorCode", errorCode).put("completedAt", completedAt);
    }
  }

  public RecentCompletions(BridgeConfig config, Clock clock) {
    this(config.topics().completions(), consumerProps(config), config.management().recentCompletions(), clock);
  }

  RecentCompletions(String topic, Map<String, Object> consumerProps, int capacity, Clock clock) {
    this.topic = topic;
    this.consumerProps = consumerProps;
    this.capacity = capacity;
    this.clock = clock;
  }

  private static Map<String, Object> consumerProps(BridgeConfig config) {
    Map<String, Object> props = new HashMap<>(new KafkaClientProperties(config.kafka()).committedConsumer("unused"));
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.kafka().applicationPrefix() + "-recent-completions-"
        + java.util.UUID.randomUUID().toString().substring(0, 8));
    return props;
  }

  /** Starts tailing on a thread of its own; the topic may not exist yet (it is looked for again). */
  public synchronized void start() {
    if (thread != null || capacity == 0) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "bridge-recent-completions");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try (KafkaConsumer<String, byte[]> tail = new KafkaConsumer<>(consumerProps)) {
      consumer = tail;
      if (!assign(tail)) {
        return;
      }
      while (running) {
        var records = tail.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, byte[]> record : records) {
          add(record.key(), record.value(), record.timestamp());
        }
        if (!caughtUp && records.isEmpty()) {
          caughtUp = true;
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.warn("recent completions: tail of {} stopped: {}", topic, e.toString());
      }
    }
  }

  private boolean assign(KafkaConsumer<String, byte[]> tail) {
    while (running) {
      List<PartitionInfo> partitions = tail.partitionsFor(topic, Duration.ofSeconds(5));
      if (partitions != null && !partitions.isEmpty()) {
        List<TopicPartition> assigned = partitions.stream()
            .map(info -> new TopicPartition(topic, info.partition())).toList();
        tail.assign(assigned);
        Map<TopicPartition, Long> ends = tail.endOffsets(assigned);
        Map<TopicPartition, Long> starts = tail.beginningOffsets(assigned);
        long back = Math.max(1, (long) capacity / assigned.size() + 1);
        for (TopicPartition partition : assigned) {
          tail.seek(partition, Math.max(starts.get(partition), ends.get(partition) - back));
        }
        return true;
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Indexes one completion record; records that are not a completion's JSON are skipped. */
  void add(String taskId, byte[] value, long timestamp) {
    if (taskId == null || value == null) {
      return;
    }
    JsonObject completion;
    try {
      completion = new JsonObject(Buffer.buffer(value));
    } catch (RuntimeException e) {
      return;
    }
    JsonObject error = completion.getValue("error") instanceof JsonObject e ? e : null;
    Entry entry = new Entry(taskId, text(completion, "provider"), text(completion, "status"), text(completion, "via"),
        error == null ? null : text(error, "code"), text(completion, "completedAt"), timestamp, value);
    synchronized (this) {
      byTask.remove(taskId); // a re-driven task's newest completion goes to the end
      byTask.put(taskId, entry);
      while (byTask.size() > capacity) {
        Iterator<String> eldest = byTask.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
      long minute = timestamp / 60_000;
      long oldest = clock.millis() / 60_000 - RATE_MINUTES;
      if (minute > oldest) {
        perMinute.computeIfAbsent(minute, m -> new HashMap<>()).merge(String.valueOf(entry.status()), 1L, Long::sum);
        perMinute.headMap(oldest, true).clear();
      }
    }
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    return value instanceof String s ? s : null;
  }

  /** The completion of a task, when it is among the recent ones. */
  public synchronized Optional<Entry> get(String taskId) {
    return Optional.ofNullable(byTask.get(taskId));
  }

  /** The newest completions first, at most {@code limit}, optionally of one provider. */
  public synchronized List<Entry> latest(int limit, String provider) {
    List<Entry> all = new ArrayList<>(byTask.values());
    Collections.reverse(all);
    return all.stream().filter(entry -> provider == null || provider.equals(entry.provider())).limit(limit).toList();
  }

  /** Completions per minute by status, averaged over the last {@code minutes} full minutes and the current one. */
  public synchronized Map<String, Double> perMinute(int minutes) {
    long now = clock.millis() / 60_000;
    Map<String, Long> sums = new TreeMap<>();
    perMinute.tailMap(now - minutes, false).values()
        .forEach(counts -> counts.forEach((status, count) -> sums.merge(status, count, Long::sum)));
    Map<String, Double> rates = new TreeMap<>();
    sums.forEach((status, count) -> rates.put(status, Math.round(count * 10.0 / minutes) / 10.0));
    return rates;
  }

  /** Whether the tail has read up to the end once (tests and the view's "loading" hint). */
  public boolean caughtUp() {
    return caughtUp;
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<String, byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    Thread running;
    synchronized (this) {
      running = thread;
      thread = null;
    }
    if (running != null) {
      try {
        running.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
