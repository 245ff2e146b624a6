package io.asyncbridge.core.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who one Kafka Streams application is on this machine: where it keeps its local stores, and the static member id it
 * joins its consumer group with.
 *
 * <p><b>State directory.</b> {@code <base>/<clusterId>}, under which Kafka Streams adds {@code <application.id>}. The
 * cluster id comes from the cluster itself (Admin {@code describeCluster}), not from the bootstrap address: a broker
 * recreated at the same {@code localhost:9092} is another cluster with other changelogs, and the same cluster can be
 * reached under several addresses. Stores written against one cluster are therefore never opened against another
 * (which Kafka Streams reports as a corrupted task and wipes, logging an ERROR).
 *
 * <p><b>Static membership (KIP-345).</b> The application's stream threads join their group as {@code
 * <instanceId>-<thread>}. A restarted process with the same id takes its previous place in the group at once instead
 * of waiting for the dead member's session to expire. The id comes from {@code kafka.instanceId} when set (a pod name
 * in a StatefulSet); otherwise it is made once and kept in {@code <base>/<clusterId>/<application.id>.instance-id}, so
 * it survives restarts exactly as long as the stores do. Kafka Streams allows one process per state directory, so a
 * kept id is never used by two live processes at once.
 */
public record StreamsInstance(Path stateDir, String groupInstanceId) {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsInstance.class);
  private static final Duration CLUSTER_ID_TIMEOUT = Duration.ofSeconds(30);
  /** What a configured or kept id may look like: {@link io.asyncbridge.core.config.KafkaSettings#INSTANCE_ID}. */
  public static final Pattern INSTANCE_ID = io.asyncbridge.core.config.KafkaSettings.INSTANCE_ID;
  private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * @param base the process's state directory ({@code --state-dir})
   * @param admin a client of the cluster the application runs against
   * @param applicationId the application's {@code application.id}
   * @param configuredId {@code kafka.instanceId}, if set
   */
  public static StreamsInstance resolve(Path base, Admin admin, String applicationId, Optional<String> configuredId) {
    Path clusterDir = base.resolve(clusterDirectoryName(clusterId(admin)));
    mentionOtherStores(base, clusterDir, applicationId);
    String instanceId = configuredId.orElseGet(() -> keptInstanceId(clusterDir, applicationId));
    return new StreamsInstance(clusterDir, instanceId);
  }

  /**
   * The Streams properties with this instance's state directory and member id. A {@code state.dir} or {@code
   * group.instance.id} the user set under {@code kafka.streams} / {@code kafka.consumer} wins.
   */
  public Map<String, Object> applyTo(Map<String, Object> properties) {
    properties.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    boolean userSet = properties.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
        || properties.containsKey(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
        || properties.containsKey(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    if (!userSet) {
      properties.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), groupInstanceId);
    }
    return properties;
  }

  static String clusterDirectoryName(String clusterId) {
    if (clusterId == null || !CLUSTER_ID.matcher(clusterId).matches()) {
      // Kafka's ids are 22 characters of base64url; anything else must still make one safe directory name
      return "cluster-" + UUID.nameUUIDFromBytes(String.valueOf(clusterId).getBytes(StandardCharsets.UTF_8));
    }
    return clusterId;
  }

  private static String clusterId(Admin admin) {
    try {
      return admin.describeCluster().clusterId().get(CLUSTER_ID_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the Kafka cluster for its id", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot ask the Kafka cluster for its id (needed to choose the state directory): "
          + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
    }
  }

  /**
   * Stores of the same application elsewhere under the base directory belong to another cluster, or to a version that
   * kept them in {@code <base>/<service>/<application.id>}: they are not used (this instance restores from its
   * changelogs), and saying so once lets an operator free the disk.
   */
  private static void mentionOtherStores(Path base, Path clusterDir, String applicationId) {
    if (!Files.isDirectory(base)) {
      return;
    }
    try (var children = Files.list(base)) {
      children.filter(child -> !child.equals(clusterDir) && Files.isDirectory(child.resolve(applicationId)))
          .forEach(child -> LOG.info("{}: not using the stores in {} (another Kafka cluster's, or an earlier layout);"
              + " they can be deleted", applicationId, child.resolve(applicationId)));
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", base, e.toString());
    }
  }

  /** The id kept beside the application's stores, made on first use. */
  static String keptInstanceId(Path clusterDir, String applicationId) {
    Path file = clusterDir.resolve(applicationId + ".instance-id");
    try {
      if (Files.isRegularFile(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (INSTANCE_ID.matcher(kept).matches()) {
          return kept;
        }
        LOG.warn("{} does not hold a usable instance id; making a new one", file);
      }
      String made = applicationId + "-" + UUID.randomUUID().toString().substring(0, 8);
      Files.createDirectories(clusterDir);
      Path written = Files.writeString(clusterDir.resolve(file.getFileName() + ".tmp"), made + "\n", StandardCharsets.UTF_8);
      Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      LOG.info("{}: joins its group as static member {} (kept in {})", applicationId, made, file);
      return made;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the instance id of " + applicationId + " in " + file, e);
    }
  }
}
