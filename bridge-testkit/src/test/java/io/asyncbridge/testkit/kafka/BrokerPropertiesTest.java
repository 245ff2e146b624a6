package io.asyncbridge.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

    private final Path logDir = Path.of("/tmp/some dir/kafka-logs");

    @Test
    void singleNodeHasListenersQuorumAndReplicationFactorOneForInternalTopics() {
        Map<String, String> p = BrokerProperties.singleNode(19092, 19093, logDir, Map.of());

        assertThat(p).containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@localhost:19093")
                .containsEntry("listeners", "PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://localhost:19092")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("log.dirs", logDir.toAbsolutePath().toString())
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.min.isr", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .doesNotContainKey("auto.create.topics.enable");
    }

    @Test
    void transactionsLeftOpenByACrashEndSoonAndCoordinatorsReloadLittle() {
        Map<String, String> p = BrokerProperties.singleNode(19092, 19093, logDir, Map.of());

        assertThat(p).containsEntry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
                .containsEntry("offsets.topic.segment.bytes", "10485760")
                .containsEntry("transaction.state.log.segment.bytes", "10485760");
    }

    @Test
    void extraPropertiesOverrideDefaults() {
        Map<String, String> p = BrokerProperties.singleNode(1, 2, logDir,
                Map.of("auto.create.topics.enable", "false", "num.partitions", "3"));

        assertThat(p).containsEntry("auto.create.topics.enable", "false").containsEntry("num.partitions", "3");
    }

    @Test
    void rejectsUnresolvedOrEqualPorts() {
        assertThatThrownBy(() -> BrokerProperties.singleNode(0, 2, logDir, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port=0");
        assertThatThrownBy(() -> BrokerProperties.singleNode(5, 5, logDir, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
    }

    @Test
    void renderedTextReadsBackAsTheSameProperties() throws IOException {
        Map<String, String> p = BrokerProperties.singleNode(19092, 19093, Path.of("C:\\odd=dir"),
                Map.of("weird key", "line1\nline2"));

        Properties read = new Properties();
        read.load(new StringReader(BrokerProperties.render(p)));

        assertThat(read).containsExactlyInAnyOrderEntriesOf(p);
    }
}
