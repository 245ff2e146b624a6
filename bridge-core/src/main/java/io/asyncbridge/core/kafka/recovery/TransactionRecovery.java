package io.asyncbridge.core.kafka.recovery;

import io.asyncbridge.core.observability.ServiceHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a partition of this service's topics that read_committed readers cannot get past, and ends the transaction
 * that pins it when that transaction is one of this service's own. Kafka ends an abandoned transaction by itself
 * once its timeout passes; this is for the ones it does not end (see README, "Known Kafka issues").
 *
 * <p>Every few seconds it compares each watched partition's last stable offset with its high watermark
 * ({@link PartitionStallTracker}). A partition pinned longer than {@link Settings#stallAfter()} is diagnosed with the
 * partition leader's open producers and the coordinators' view of this service's transactions
 * ({@link StallDiagnosis}), and the transaction is fenced or aborted through the Admin API. Each action is logged
 * once as a WARN and counted in {@value #RECOVERED_METER}; while a stall lasts, {@link #health(ServiceHealth)} reports
 * the service not ready, with the partitions in the detail.
 */
public final class TransactionRecovery implements AutoCloseable {

  public static final String RECOVERED_METER = "bridge_transactions_recovered_total";
  public static final String STALLED_METER = "bridge_partitions_stalled";

  private static final Logger LOG = LoggerFactory.getLogger(TransactionRecovery.class);
  private static final Duration TOPIC_REFRESH = Duration.ofMinutes(1);

  /**
   * @param checkEvery  how often the partitions are looked at
   * @param stallAfter  how long a last stable offset may stay pinned below the high watermark before the
   *                    transaction behind it is ended; longer than the transaction timeout plus the broker's abort
   *                    sweep, so Kafka always gets its own chance first
   * @param retryAfter  how long an action is given to take effect before it is tried again
   * @param callTimeout the bound on each Admin call
   */
  public record Settings(Duration checkEvery, Duration stallAfter, Duration retryAfter, Duration callTimeout) {

    /**
     * Every 5 s; act after 30 s (Kafka Streams' transaction timeout is 10 s, the broker sweeps every 10 s by
     * default), and abort on the partition 15 s after a fence that did not free it: a stall ends within 50 s.
     */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(15),
          Duration.ofSeconds(5));
    }
  }

  private final RecoveryScope scope;
  private final Admin admin;
  private final Settings settings;
  private final Clock clock;
  private final PartitionStallTracker tracker = new PartitionStallTracker();
  private final Map<String, Instant> attempted = new HashMap<>();
  private final Set<String> reported = new HashSet<>();
  private final Counter fenced;
  private final Counter aborted;
  private final ScheduledExecutorService scheduler;
  private List<TopicPartition> watched = List.of();
  private Instant watchedAt = Instant.MIN;
  private volatile Map<TopicPartition, Duration> stalled = Map.of();
  private Instant unstableSince;
  private volatile Duration unstableFor = Duration.ZERO;

  public TransactionRecovery(RecoveryScope scope, Admin admin, Settings settings, MeterRegistry registry,
      Clock clock) {
    this.scope = scope;
    this.admin = admin;
    this.settings = settings;
    this.clock = clock;
    this.fenced = counter(registry, scope, "fenced");
    this.aborted = counter(registry, scope, "aborted");
    Gauge.builder(STALLED_METER, this, recovery -> recovery.stalled.size())
        .description("partitions of this service's topics whose last stable offset is stuck behind an open"
            + " transaction for longer than the bound")
        .tag("service", scope.service()).register(registry);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, scope.service() + "-transaction-recovery");
      thread.setDaemon(true);
      return thread;
    });
  }

  private static Counter counter(MeterRegistry registry, RecoveryScope scope, String action) {
    return Counter.builder(RECOVERED_METER)
        .description("transactions of this service that Kafka left open and the service ended itself:"
            + " fenced (its coordinator aborts it) or aborted (an abort marker written to the partition)")
        .tags("service", scope.service(), "action", action).register(registry);
  }

  /** Starts looking, every {@link Settings#checkEvery()}, on a thread of its own. */
  public void start() {
    long period = settings.checkEvery().toMillis();
    scheduler.scheduleWithFixedDelay(this::checkQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  /** This health, not ready while a partition of the service's topics is stalled, with the partitions named. */
  public ServiceHealth health(ServiceHealth health) {
    Map<TopicPartition, Duration> now = stalled;
    Duration unstable = unstableFor;
    boolean offsetsStuck = unstable.compareTo(settings.stallAfter()) >= 0;
    if (now.isEmpty() && !offsetsStuck) {
      return health.and("transactions", true, "ok");
    }
    List<String> problems = new ArrayList<>();
    now.forEach((partition, duration) -> problems.add(partition + " for " + duration.toSeconds() + " s"));
    if (offsetsStuck) {
      problems.add("offsets of group " + scope.applicationId() + " unanswered for " + unstable.toSeconds() + " s");
    }
    return health.and("transactions", false, "stalled: " + String.join(", ", problems));
  }

  /** The partitions stalled at the last look, and for how long. */
  public Map<TopicPartition, Duration> stalled() {
    return stalled;
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("{}: looking for stalled transactions failed: {}", scope.service(), e.toString());
    }
  }

  /** One look: observe, and act on what is stalled. Package-private so that tests can drive it. */
  void check() {
    Map<TopicPartition, PartitionStallTracker.Offsets> offsets;
    try {
      offsets = offsets(watched());
    } catch (ExecutionException | TimeoutException e) {
      tracker.forget(); // no broker, or one still loading: time without answers is not a stall
      unstableSince = null;
      unstableFor = Duration.ZERO;
      LOG.debug("{}: cannot read the last stable offsets now: {}", scope.service(), e.toString());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Instant now = clock.instant();
    checkGroupOffsets(offsets.keySet(), now);
    Map<TopicPartition, Duration> found = tracker.observe(now, offsets, settings.stallAfter());
    Map<TopicPartition, Duration> before = stalled;
    Map<TopicPartition, Duration> holdingUs = new HashMap<>(found);
    if (unstableFor.compareTo(settings.stallAfter()) < 0) {
      // the offsets partition is shared with other groups: pinned there, it holds this service back only if
      // this group's offsets are unanswered
      holdingUs.keySet().removeIf(partition -> partition.topic().equals(Topic.GROUP_METADATA_TOPIC_NAME));
    }
    stalled = Map.copyOf(holdingUs);
    if (found.isEmpty()) {
      if (!before.isEmpty()) {
        LOG.info("{}: every partition of its topics is moving again ({} were stalled)", scope.service(),
            before.keySet());
      }
      attempted.clear();
      reported.clear();
      return;
    }
    try {
      recover(found, offsets, now);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("{}: partitions {} are stalled behind open transactions, and asking Kafka about them failed: {}",
          scope.service(), found.keySet(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether the group coordinator answers this application's committed offsets (a stable offset fetch, what a
   * read_committed consumer does when it gets partitions). It holds the answer while a transactional offset commit
   * of the group is pending; one pending for long is reported, and ended through the partition stall it causes on
   * the group's offsets partition.
   */
  private void checkGroupOffsets(java.util.Set<TopicPartition> partitions, Instant now) {
    List<TopicPartition> own = partitions.stream()
        .filter(partition -> !partition.topic().equals(Topic.GROUP_METADATA_TOPIC_NAME)).toList();
    if (own.isEmpty()) {
      return;
    }
    boolean answered;
    try {
      // The Admin client leaves out a partition answered with an error (UNSTABLE_OFFSET_COMMIT); a call that
      // fails as a whole (the coordinator loading, the broker gone) says nothing either way.
      answered = get(admin.listConsumerGroupOffsets(
          Map.of(scope.applicationId(), new ListConsumerGroupOffsetsSpec().topicPartitions(own)),
          new ListConsumerGroupOffsetsOptions().requireStable(true)
              .timeoutMs((int) settings.callTimeout().toMillis()))
          .partitionsToOffsetAndMetadata(scope.applicationId())).keySet().containsAll(own);
    } catch (ExecutionException | TimeoutException e) {
      unstableSince = null;
      unstableFor = Duration.ZERO;
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (answered) {
      if (unstableFor.compareTo(settings.stallAfter()) >= 0) {
        LOG.info("{}: the group coordinator answers the offsets of {} again", scope.service(),
            scope.applicationId());
      }
      unstableSince = null;
      unstableFor = Duration.ZERO;
      return;
    }
    if (unstableSince == null) {
      unstableSince = now;
    }
    Duration before = unstableFor;
    unstableFor = Duration.between(unstableSince, now);
    if (before.compareTo(settings.stallAfter()) < 0 && unstableFor.compareTo(settings.stallAfter()) >= 0) {
      LOG.warn("{}: the group coordinator has not answered the committed offsets of {} for {} s: a transactional"
          + " offset commit is pending; a transaction of this service left open is ended below, one of"
          + " another application is not", scope.service(), scope.applicationId(), unstableFor.toSeconds());
    }
  }

  private void recover(Map<TopicPartition, Duration> found, Map<TopicPartition, PartitionStallTracker.Offsets> offsets,
      Instant now) throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, List<ProducerState>> producers = new HashMap<>();
    get(admin.describeProducers(found.keySet()).all())
        .forEach((partition, description) -> producers.put(partition, description.activeProducers()));
    Map<Long, StallDiagnosis.OwnTransaction> own = ownTransactions();
    // One transaction often pins several partitions (its data partitions and the group's offsets partition):
    // act once for it, from the partition stalled longest (found is ordered so), and name the others.
    Map<String, List<RecoveryAction>> byTransaction = new java.util.LinkedHashMap<>();
    for (Map.Entry<TopicPartition, Duration> entry : found.entrySet()) {
      TopicPartition partition = entry.getKey();
      StallDiagnosis.diagnose(partition, offsets.get(partition).lastStable(), entry.getValue(),
          producers.getOrDefault(partition, List.of()), own, now.toEpochMilli()).ifPresent(action ->
          byTransaction.computeIfAbsent(identity(action), key -> new ArrayList<>()).add(action));
    }
    byTransaction.forEach((key, actions) -> act(key, actions, now));
  }

  private void act(String key, List<RecoveryAction> actions, Instant now) {
    Instant last = attempted.get(key);
    if (last != null && Duration.between(last, now).compareTo(settings.retryAfter()) < 0) {
      return; // given time to take effect
    }
    List<RecoveryAction> todo = actions;
    if (last != null && actions.get(0) instanceof RecoveryAction.Fence) {
      // fenced before, and the same transaction still pins its partitions: abort it on each of them
      todo = actions.stream().map(action -> (RecoveryAction) ((RecoveryAction.Fence) action).escalate()).toList();
    }
    attempted.put(key, now);
    RecoveryAction first = todo.get(0);
    String also = todo.size() == 1 ? ""
        : " (it also pins " + todo.subList(1, todo.size()).stream().map(RecoveryAction::partition).toList() + ")";
    try {
      if (first instanceof RecoveryAction.Fence fence) {
        get(admin.fenceProducers(List.of(fence.transactionalId())).all());
        fenced.increment();
      } else if (first instanceof RecoveryAction.Abort) {
        for (RecoveryAction action : todo) {
          get(admin.abortTransaction(((RecoveryAction.Abort) action).spec()).all());
        }
        aborted.increment();
      }
      if (reported.add(key + " " + first.getClass().getSimpleName())) {
        LOG.warn("{}: {}{}", scope.service(), first.describe(), also);
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("{}: {}{}; but that failed: {} (looked at again in {} s)", scope.service(), first.describe(),
          also, e.getCause() == null ? e : e.getCause(), settings.retryAfter().toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The transaction an action is about (one action per transaction), or the partition left alone. */
  private static String identity(RecoveryAction action) {
    if (action instanceof RecoveryAction.Fence fence) {
      return "producer " + fence.spec().producerId() + "/" + fence.spec().producerEpoch();
    }
    if (action instanceof RecoveryAction.Abort abort) {
      return "producer " + abort.spec().producerId() + "/" + abort.spec().producerEpoch() + " hanging";
    }
    return "left " + action.partition();
  }

  /** This service's transactions, by producer id: few, and only asked for while something is stalled. */
  private Map<Long, StallDiagnosis.OwnTransaction> ownTransactions()
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> ids = new ArrayList<>();
    for (TransactionListing listing : get(admin.listTransactions().all())) {
      if (scope.ownsTransactionalId(listing.transactionalId())) {
        ids.add(listing.transactionalId());
      }
    }
    Map<Long, StallDiagnosis.OwnTransaction> own = new HashMap<>();
    if (!ids.isEmpty()) {
      Map<String, TransactionDescription> descriptions = get(admin.describeTransactions(ids).all());
      descriptions.forEach((id, description) ->
          own.put(description.producerId(), new StallDiagnosis.OwnTransaction(id, description)));
    }
    return own;
  }

  private Map<TopicPartition, PartitionStallTracker.Offsets> offsets(List<TopicPartition> partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
    Map<TopicPartition, Long> stable = new HashMap<>();
    get(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
        .forEach((partition, info) -> stable.put(partition, info.offset()));
    Map<TopicPartition, PartitionStallTracker.Offsets> offsets = new HashMap<>();
    get(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all())
        .forEach((partition, info) -> offsets.put(partition,
            new PartitionStallTracker.Offsets(stable.get(partition), info.offset())));
    return offsets;
  }

  /** The partitions of the service's topics, its internal topics and its group's offsets partition. */
  private List<TopicPartition> watched() throws InterruptedException, ExecutionException, TimeoutException {
    Instant now = clock.instant();
    if (!watched.isEmpty() && Duration.between(watchedAt, now).compareTo(TOPIC_REFRESH) < 0) {
      return watched;
    }
    Set<String> topics = new HashSet<>(scope.topics());
    get(admin.listTopics().names()).stream().filter(scope::isInternalTopic).forEach(topics::add);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      try {
        get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions()
            .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
    }
    try {
      int count = get(admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME)).allTopicNames())
          .get(Topic.GROUP_METADATA_TOPIC_NAME).partitions().size();
      partitions.add(new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME,
          Utils.abs(scope.applicationId().hashCode()) % count));
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw e;
      }
    }
    watched = List.copyOf(partitions);
    watchedAt = now;
    return watched;
  }

  private <T> T get(KafkaFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops looking and closes the Admin client. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(settings.callTimeout());
  }
}
