package io.asyncbridge.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.kafka.TopicAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory is named after the cluster the bridge talks to, as that cluster itself names it. */
@WithKafka
class StreamsInstanceIT {

  @TempDir
  Path base;

  @Test
  void theStateDirectoryIsTheClustersOwnIdAndTheMemberIdIsKeptAcrossStarts(KafkaCluster kafka) throws Exception {
    try (Admin admin = TopicAdmin.admin(kafka.bootstrapServers())) {
      String clusterId = admin.describeCluster().clusterId().get();
      // stores another cluster left under the same base directory
      Files.createDirectories(base.resolve("another-cluster").resolve("bridge-poller").resolve("0_0"));

      StreamsInstance first = StreamsInstance.resolve(base, admin, "bridge-poller", Optional.empty());
      StreamsInstance second = StreamsInstance.resolve(base, admin, "bridge-poller", Optional.empty());
      StreamsInstance configured = StreamsInstance.resolve(base, admin, "bridge-poller", Optional.of("poller-0"));

      assertThat(first.stateDir()).isEqualTo(base.resolve(clusterId));
      assertThat(second.groupInstanceId()).isEqualTo(first.groupInstanceId());
      assertThat(configured.groupInstanceId()).isEqualTo("poller-0");
      assertThat(configured.stateDir()).isEqualTo(first.stateDir());
    }
  }
}
