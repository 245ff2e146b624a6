package io.asyncbridge.core.kafka.recovery;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one service may touch: the transactions of its own transactional ids (Kafka Streams names them
 * {@code <application.id>-<process UUID>-<thread index>}, so another application whose id merely starts with this one's,
 * such as {@code bridge-poller-v2}, never matches), on partitions of its own topics (what it reads, what it writes, its
 * internal topics, and its group's offsets partition).
 *
 * @param service       the service's name, for logs and meters
 * @param applicationId the Kafka Streams application id, which is also the consumer group
 * @param topics        the topics it reads and writes (internal topics are found by the application id's prefix)
 */
public record RecoveryScope(String service, String applicationId, Set<String> topics) {

  public RecoveryScope {
    topics = Set.copyOf(topics);
  }

  /** The prefix of every transactional id of this application. */
  public String transactionalIdPrefix() {
    return applicationId + "-";
  }

  private static final String STREAMS_SUFFIX = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9]+";

  /** A regular expression matching this application's transactional ids and no other. */
  String transactionalIdPattern() {
    return Pattern.quote(transactionalIdPrefix()) + STREAMS_SUFFIX;
  }

  boolean ownsTransactionalId(String transactionalId) {
    return transactionalId != null && transactionalId.matches(transactionalIdPattern());
  }

  /** An internal topic of this application: a changelog or a repartition topic. */
  boolean isInternalTopic(String topic) {
    return topic.startsWith(transactionalIdPrefix())
        && (topic.endsWith("-changelog") || topic.endsWith("-repartition"));
  }
}
