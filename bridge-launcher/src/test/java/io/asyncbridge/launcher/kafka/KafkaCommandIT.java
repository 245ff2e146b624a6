package io.asyncbridge.launcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.launcher.cluster.DefaultTopics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code java -jar bridge.jar kafka --port 0} as a user would, then stops it in the two hard ways. */
class KafkaCommandIT {

    private static final Pattern BOOTSTRAP = Pattern.compile("bootstrap servers: (\\S+)");
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process cli;

    @AfterEach
    void killLeftovers() {
        if (cli != null) {
            cli.descendants().forEach(ProcessHandle::destroyForcibly);
            cli.destroyForcibly();
        }
    }

    @Test
    void sigtermStopsTheBrokerCleanlyWithExitCodeZeroAndNoChildLeft() throws Exception {
        String bootstrap = startCli();
        List<ProcessHandle> children = cli.descendants().toList();
        assertThat(children).as("the broker child JVM").isNotEmpty();
        assertThat(topics(bootstrap)).containsAll(DefaultTopics.names(io.asyncbridge.schemas.topic.TopicNames.defaults()));

        // SIGTERM through the handle: Process.destroy() would also close our end of the CLI's output pipe.
        cli.toHandle().destroy();

        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("CLI exited").isTrue();
        assertThat(cli.exitValue()).as("exit code; output:\n" + String.join("\n", output)).isZero();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output).contains("Kafka broker stopped."));
        Path dataDir = Path.of(line("data directory:").replaceAll(".*data directory:\\s+(\\S+).*", "$1"));
        assertThat(dataDir).as("temporary data dir is deleted").doesNotExist();
    }

    @Test
    void killMinusNineOfTheCliLeavesNoOrphanBroker(@TempDir Path dataDir) throws Exception {
        // A given data dir: after kill -9 nobody is left to delete a temporary one, JUnit deletes this one.
        startCli("--data-dir", dataDir.toString());
        List<ProcessHandle> children = cli.descendants().toList();
        assertThat(children).isNotEmpty();

        cli.destroyForcibly(); // SIGKILL: no shutdown hook runs in the CLI

        assertThat(cli.waitFor(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }

    private String startCli(String... extraArgs) throws Exception {
        Path jar = Path.of(System.getProperty("bridge.jar", "target/bridge.jar"));
        assertThat(jar).as("bridge.jar is built by the package phase").exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        long begin = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(
                java.toString(), "-jar", jar.toString(), "kafka", "--port", "0", "--partitions", "1"));
        command.addAll(List.of(extraArgs));
        cli = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(() -> collect(cli), "cli-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(READY_WITHIN).until(() -> output.stream().anyMatch(l -> BOOTSTRAP.matcher(l).find())
                || !cli.isAlive());
        assertThat(cli.isAlive()).as("CLI running; output:\n" + String.join("\n", output)).isTrue();
        Matcher m = BOOTSTRAP.matcher(line("bootstrap servers:"));
        assertThat(m.find()).isTrue();
        String bootstrap = m.group(1);
        topics(bootstrap); // a real client can use it
        System.out.printf("bridge kafka: usable by a client %d ms after the command started%n",
                Duration.ofNanos(System.nanoTime() - begin).toMillis());
        return bootstrap;
    }

    private String line(String marker) {
        return output.stream().filter(l -> l.contains(marker)).findFirst().orElseThrow();
    }

    private static java.util.Set<String> topics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
        }
    }

    private void collect(Process process) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                output.add(l);
            }
        } catch (IOException e) {
            output.add("(reading CLI output failed: " + e + ")");
        }
    }
}
