package io.asyncbridge.schemas.topic;

import java.util.List;

/**
 * The topics of the bridge. The first four are the public contract; the rest are internal event logs
 * between the services, keyed by taskId (or by correlation key for webhooks).
 *
 * @param partitions partitions used when the bridge creates a missing topic (all topics keyed by taskId must
 *     have the same count: the services rely on co-partitioning)
 * @param replicationFactor replication factor for topics the bridge creates; -1 means the broker default
 * @param createMissing whether services create missing topics at start-up
 */
public record TopicNames(
    String requests,
    String completions,
    String progress,
    String deadLetter,
    String tasks,
    String dispatchResults,
    String webhooks,
    int partitions,
    short replicationFactor,
    boolean createMissing) {

  public static final String DEFAULT_REQUESTS = "bridge.requests";
  public static final String DEFAULT_COMPLETIONS = "bridge.completions";
  public static final String DEFAULT_PROGRESS = "bridge.progress";
  public static final String DEFAULT_DEAD_LETTER = "bridge.requests.dlq";
  public static final String DEFAULT_TASKS = "bridge.tasks";
  public static final String DEFAULT_DISPATCH_RESULTS = "bridge.ingest.results";
  public static final String DEFAULT_WEBHOOKS = "bridge.webhooks";

  public static TopicNames defaults() {
    return new TopicNames(DEFAULT_REQUESTS, DEFAULT_COMPLETIONS, DEFAULT_PROGRESS, DEFAULT_DEAD_LETTER,
        DEFAULT_TASKS, DEFAULT_DISPATCH_RESULTS, DEFAULT_WEBHOOKS, 3, (short) -1, true);
  }

  /** Every topic, for creation and for checks that a deployment (docker-compose, the demo) creates them all. */
  public List<TopicDefinition> all() {
    return List.of(
        new TopicDefinition(requests, partitions, false),
        new TopicDefinition(completions, partitions, false),
        new TopicDefinition(progress, partitions, false),
        new TopicDefinition(deadLetter, partitions, false, 2 * 1024 * 1024),
        new TopicDefinition(tasks, partitions, false),
        new TopicDefinition(dispatchResults, partitions, false),
        new TopicDefinition(webhooks, partitions, false));
  }

  /**
   * One topic to create.
   *
   * @param maxMessageBytes the topic's {@code max.message.bytes}, or 0 for the broker's default
   */
  public record TopicDefinition(String name, int partitions, boolean compacted, int maxMessageBytes) {

    public TopicDefinition(String name, int partitions, boolean compacted) {
      this(name, partitions, compacted, 0);
    }
  }
}
