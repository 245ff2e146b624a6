package io.asyncbridge.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsInstanceTest {

  @TempDir
  Path base;

  @Test
  void aKeptInstanceIdIsMadeOnceAndReadBackOnEveryLaterStart() throws Exception {
    Path cluster = base.resolve("clusterA");

    String first = StreamsInstance.keptInstanceId(cluster, "bridge-poller");
    String again = StreamsInstance.keptInstanceId(cluster, "bridge-poller");

    assertThat(first).startsWith("bridge-poller-").matches(StreamsInstance.INSTANCE_ID);
    assertThat(again).isEqualTo(first);
    assertThat(Files.readString(cluster.resolve("bridge-poller.instance-id")).strip()).isEqualTo(first);
  }

  @Test
  void eachClusterAndEachApplicationGetsAnIdOfItsOwn() {
    String poller = StreamsInstance.keptInstanceId(base.resolve("clusterA"), "bridge-poller");
    String ingest = StreamsInstance.keptInstanceId(base.resolve("clusterA"), "bridge-ingest");
    String otherCluster = StreamsInstance.keptInstanceId(base.resolve("clusterB"), "bridge-poller");

    assertThat(poller).isNotEqualTo(ingest).isNotEqualTo(otherCluster);
  }

  @Test
  void anUnreadableKeptIdIsReplaced() throws Exception {
    Path cluster = Files.createDirectories(base.resolve("clusterA"));
    Files.writeString(cluster.resolve("bridge-ingest.instance-id"), "not an id / with spaces\n");

    String id = StreamsInstance.keptInstanceId(cluster, "bridge-ingest");

    assertThat(id).matches(StreamsInstance.INSTANCE_ID);
    assertThat(Files.readString(cluster.resolve("bridge-ingest.instance-id")).strip()).isEqualTo(id);
  }

  @Test
  void aClusterIdBecomesADirectoryNameAndAnythingOddIsMadeSafe() {
    assertThat(StreamsInstance.clusterDirectoryName("MkU3OEVBNTcwNTJENDM2Qg")).isEqualTo("MkU3OEVBNTcwNTJENDM2Qg");
    assertThat(StreamsInstance.clusterDirectoryName("../../etc")).startsWith("cluster-").doesNotContain("/", "..");
    assertThat(StreamsInstance.clusterDirectoryName(null)).startsWith("cluster-");
    assertThat(StreamsInstance.clusterDirectoryName("../../etc"))
        .isNotEqualTo(StreamsInstance.clusterDirectoryName("../../var"));
  }

  @Test
  void theStateDirectoryAndTheMemberIdGoIntoTheStreamsProperties() {
    StreamsInstance instance = new StreamsInstance(base.resolve("clusterA"), "pod-1");

    Map<String, Object> props = instance.applyTo(new HashMap<>());

    assertThat(props).containsEntry("state.dir", base.resolve("clusterA").toString())
        .containsEntry("main.consumer.group.instance.id", "pod-1");
  }

  @Test
  void whatTheUserSetWins() {
    StreamsInstance instance = new StreamsInstance(base.resolve("clusterA"), "pod-1");
    Map<String, Object> props = new HashMap<>(Map.of("state.dir", "/var/state", "consumer.group.instance.id", "mine"));

    instance.applyTo(props);

    assertThat(props).containsEntry("state.dir", "/var/state").containsEntry("consumer.group.instance.id", "mine")
        .doesNotContainKey("main.consumer.group.instance.id");
  }
}
