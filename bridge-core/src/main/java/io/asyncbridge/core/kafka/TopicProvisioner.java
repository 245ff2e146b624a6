package io.asyncbridge.core.kafka;

import io.asyncbridge.schemas.topic.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the bridge's topics when they are missing and checks what the services rely on: every topic keyed by
 * taskId has the same partition count, because a task's internal events are written to the partition number its
 * request came from.
 */
public final class TopicProvisioner {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Admin admin;

  public TopicProvisioner(Admin admin) {
    this.admin = admin;
  }

  public void createMissing(TopicNames topics) {
    create(topics.all(), topics.replicationFactor());
  }

  public void create(Collection<TopicNames.TopicDefinition> definitions, short replicationFactor) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicNames.TopicDefinition definition : definitions) {
        if (!existing.contains(definition.name())) {
          NewTopic topic = new NewTopic(definition.name(), Optional.of(definition.partitions()),
              replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor));
          Map<String, String> configs = new java.util.HashMap<>();
          if (definition.compacted()) {
            configs.put("cleanup.policy", "compact");
          }
          if (replicationFactor >= 2) {
            // acks=all means "all in-sync replicas": without this, a shrunken ISR acknowledges with one copy.
            configs.put("min.insync.replicas", "2");
          }
          if (definition.maxMessageBytes() > 0) {
            configs.put("max.message.bytes", Integer.toString(definition.maxMessageBytes()));
          }
          topic.configs(configs);
          missing.add(topic);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> result
          : admin.createTopics(missing).values().entrySet()) {
        try {
          result.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
      awaitServed(missing.stream().map(NewTopic::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list, create or describe topics at the Kafka cluster: " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the broker serves topics just created. createTopics completes when the controller accepted them; a
   * broker serves them once it has applied the metadata, a moment later (longer with several brokers or a loaded
   * machine), and until then a describe, as the partition checks that follow make, answers UNKNOWN_TOPIC_OR_PARTITION.
   */
  private void awaitServed(List<String> names) throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      try {
        admin.describeTopics(names).allTopicNames().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || left <= 0) {
          throw e;
        }
        Thread.sleep(50); // metadata propagation has nothing a client can wait on
      }
    }
  }

  /** The number of partitions of an existing topic. */
  public int partitionCount(String topic) {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS)
          .get(topic).partitions().size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the partitions of " + topic, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read the partitions of " + topic + ": " + e.getMessage(), e);
    }
  }

  /** Fails with a message naming each topic and its count when the given topics differ in partitions. */
  public void requireSamePartitionCount(Collection<String> names) {
    try {
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(names).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long distinct = descriptions.values().stream().mapToInt(description -> description.partitions().size())
          .distinct().count();
      if (distinct > 1) {
        StringBuilder counts = new StringBuilder();
        descriptions.forEach((name, description) ->
            counts.append(counts.length() == 0 ? "" : ", ").append(name).append('=').append(description.partitions().size()));
        throw new IllegalStateException("topics must have the same number of partitions (a task's events follow the"
            + " partition of its request): " + counts);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe topics " + names + ": " + e.getMessage(), e);
    }
  }
}
