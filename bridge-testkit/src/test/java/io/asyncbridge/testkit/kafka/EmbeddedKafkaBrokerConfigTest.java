package io.asyncbridge.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerConfigTest {

    @Test
    void defaultsUseTheCurrentJavaAndClassPath() {
        EmbeddedKafkaBrokerConfig config = EmbeddedKafkaBroker.builder().config();

        assertThat(config.port()).isZero();
        assertThat(config.controllerPort()).isZero();
        assertThat(config.dataDir()).isNull();
        assertThat(config.maxHeap()).isEqualTo("512m");
        assertThat(config.javaBinary()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
        assertThat(config.classpath()).isEqualTo(System.getProperty("java.class.path"));
        assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.logLevel()).isEqualTo("warn");
    }

    @Test
    void buildResolvesFreeDistinctPortsWithoutStartingAnything() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.controllerPort()).isPositive().isNotEqualTo(broker.port());
            assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + broker.port());
            assertThat(broker.isRunning()).isFalse();
            assertThat(broker.dataDir()).isEmpty();
        }
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(70_000).config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().startupTimeout(Duration.ZERO).config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startupTimeout");
    }

    @Test
    void commandRunsBrokerMainWithHeapWatchdogAndLogLevel() {
        EmbeddedKafkaBrokerConfig config = EmbeddedKafkaBroker.builder()
                .maxHeap("256m").classpath("a.jar").logLevel("info").jvmOption("-XX:+UseSerialGC").config();

        List<String> command = BrokerCommand.build(config, Path.of("/d/server.properties"), "cluster-id");

        assertThat(command).startsWith(config.javaBinary().toString())
                .contains("-Xmx256m", "-Dasyncbridge.broker.watchStdin=true",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dbridge.log.level=info", "-XX:+UseSerialGC")
                .endsWith("-cp", "a.jar", KafkaBrokerMain.class.getName(), "/d/server.properties", "cluster-id");
    }
}
