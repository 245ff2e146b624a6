package io.asyncbridge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.launcher.cluster.DefaultTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BridgeCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = BridgeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTheKafkaCommandAndExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("kafka", "Exit codes", "2   usage error");
    }

    @Test
    void kafkaHelpDocumentsOptionsAndExitCodes() {
        assertThat(run("kafka", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "Default: 9092", "--data-dir", "--partitions", "Default: 3",
                "0   stopped cleanly");
    }

    @Test
    void versionComesFromTheBuild() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("Async Bridge ");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("no-such-command")).isEqualTo(2);
        assertThat(run("kafka", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be 0-65535, was 70000");
        assertThat(run("kafka", "--partitions", "0")).isEqualTo(2);
        assertThat(run("kafka", "--port", "nine")).isEqualTo(2);
    }

    @Test
    void aCancelThatWouldBeInvalidIsAUsageErrorBeforeAnyConnection() {
        assertThat(run("cancel", "bad id with spaces", "--bootstrap-server", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("the cancel would be invalid", "/taskId");
        assertThat(run("cancel", "--help")).isZero();
        assertThat(out.toString()).contains("--reason", "Produces a cancel for a task");
    }

    @Test
    void defaultTopicsAreTheBridgeTopicNames() {
        assertThat(DefaultTopics.withPartitions(io.asyncbridge.schemas.topic.TopicNames.defaults(), 3))
                .extracting(t -> t.name() + "/" + t.partitions())
                .containsExactly("bridge.requests/3", "bridge.completions/3", "bridge.progress/3", "bridge.requests.dlq/3",
                        "bridge.tasks/3", "bridge.ingest.results/3", "bridge.webhooks/3");
    }
}
