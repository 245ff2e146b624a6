package io.asyncbridge.launcher.kafka;

import io.asyncbridge.launcher.cluster.DefaultTopics;
import io.asyncbridge.schemas.topic.TopicNames;
import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bridge kafka}: a local single-node Kafka broker with the bridge's topics, until Ctrl-C. */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a local single-node Apache Kafka 4.3.1 broker (KRaft) for development.",
            "The broker runs in a child JVM; the bridge's default topics are created, then the command waits.",
            "Ctrl-C or SIGTERM stops the broker cleanly."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly (Ctrl-C or SIGTERM)", "1:the broker failed to start or to stop",
            "2:usage error"})
public final class KafkaCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "9092",
            description = "Client port (0 = any free port). Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's data here across runs. Default: a temporary directory deleted on exit.")
    private Path dataDir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions of each bridge topic. Default: ${DEFAULT-VALUE}.")
    private int partitions;

    @Override
    public Integer call() throws InterruptedException {
        validate();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(port).dataDir(dataDir).build();
        AtomicBoolean serving = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnExit(broker, serving), "bridge-kafka-stop"));
        long begin = System.nanoTime();
        try {
            broker.start();
            broker.createTopics(DefaultTopics.withPartitions(TopicNames.defaults(), partitions));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        printReady(broker, Duration.ofNanos(System.nanoTime() - begin));
        serving.set(true);
        new CountDownLatch(1).await(); // until a signal runs the shutdown hook
        return CommandLine.ExitCode.OK;
    }

    private void validate() {
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0-65535, was " + port);
        }
        if (partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--partitions must be >= 1, was " + partitions);
        }
        if (port != 0 && !portFree(port)) {
            throw new IllegalStateException("port " + port + " is already in use (another Kafka?); "
                    + "choose another with --port, or --port 0 for any free port");
        }
    }

    private void printReady(EmbeddedKafkaBroker broker, Duration startup) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Kafka broker ready in %.1f s (Apache Kafka 4.3.1, KRaft, single node)%n", startup.toMillis() / 1000.0);
        out.printf("  bootstrap servers: %s%n", broker.bootstrapServers());
        out.printf("  topics:            %s (%d partitions each)%n", String.join(", ", DefaultTopics.names(TopicNames.defaults())), partitions);
        out.printf("  data directory:    %s%s%n", broker.dataDir().orElseThrow(),
                dataDir == null ? " (temporary, deleted on exit)" : "");
        out.printf("  broker log:        %s%n", broker.logFile().orElseThrow());
        out.printf("Press Ctrl-C (or kill %d) to stop.%n", ProcessHandle.current().pid());
        out.flush();
    }

    /**
     * Runs on Ctrl-C, SIGTERM and any other exit. After a signal the JVM would exit with 130/143;
     * once the broker has stopped cleanly we halt with 0 instead, since stopping is the normal way
     * to end this command. Before the broker was serving (a failed start), the exit code is left alone.
     */
    private void stopOnExit(EmbeddedKafkaBroker broker, AtomicBoolean serving) {
        boolean wasServing = serving.getAndSet(false);
        if (wasServing) {
            System.out.println("Stopping the Kafka broker...");
        }
        try {
            broker.close();
        } catch (RuntimeException e) {
            System.err.println("bridge kafka: stopping the broker failed: " + e.getMessage());
            if (wasServing) {
                Runtime.getRuntime().halt(CommandLine.ExitCode.SOFTWARE);
            }
            return;
        }
        if (wasServing) {
            System.out.println("Kafka broker stopped.");
            System.out.flush();
            Runtime.getRuntime().halt(CommandLine.ExitCode.OK);
        }
    }

    private static boolean portFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
