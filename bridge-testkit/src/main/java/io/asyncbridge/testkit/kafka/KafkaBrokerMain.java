package io.asyncbridge.testkit.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Main class of the child JVM that {@link EmbeddedKafkaBroker} starts: formats the storage
 * directory (a no-op when already formatted) and runs the real Kafka server until it is told to
 * stop (SIGTERM) or its parent dies.
 *
 * <p>Usage: {@code KafkaBrokerMain <server.properties> <cluster-id>}. With the system property
 * {@value #WATCH_STDIN_PROPERTY}{@code =true} the process exits when standard input reaches end of
 * file: the parent keeps the pipe open for its whole life, so the operating system closes it when
 * the parent dies, even by {@code kill -9}, and the broker does not outlive it as an orphan.
 */
public final class KafkaBrokerMain {

    static final String WATCH_STDIN_PROPERTY = "asyncbridge.broker.watchStdin";
    /** Prefix of system properties that set a feature level when the storage is formatted, e.g. transaction.version. */
    static final String FEATURE_PROPERTY_PREFIX = "asyncbridge.broker.feature.";
    /** How long a clean shutdown may take after the parent went away before the JVM is halted. */
    private static final long ORPHAN_HALT_SECONDS = 20;

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <server.properties> <cluster-id>");
            System.exit(2);
        }
        if (Boolean.getBoolean(WATCH_STDIN_PROPERTY)) {
            startParentWatchdog(System.in);
        }
        String propertiesFile = args[0];
        String clusterId = args[1];
        java.util.List<String> format = new java.util.ArrayList<>(
                java.util.List.of("format", "--ignore-formatted", "-t", clusterId, "-c", propertiesFile));
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(FEATURE_PROPERTY_PREFIX)) {
                format.add("--feature");
                format.add(name.substring(FEATURE_PROPERTY_PREFIX.length()) + "=" + System.getProperty(name));
            }
        }
        int formatted = kafka.tools.StorageTool.execute(format.toArray(String[]::new), System.out);
        if (formatted != 0) {
            System.err.println("formatting the storage for " + propertiesFile + " failed with exit code " + formatted);
            System.exit(1);
        }
        // Runs the server and calls System.exit itself when the server has shut down.
        kafka.Kafka.main(new String[] {propertiesFile});
    }

    private static void startParentWatchdog(InputStream parentPipe) {
        Thread watchdog = new Thread(() -> {
            drainUntilEof(parentPipe);
            System.err.println("KafkaBrokerMain: stdin closed (the parent stopped the broker or died), shutting down");
            Thread halter = new Thread(() -> {
                sleepSeconds(ORPHAN_HALT_SECONDS);
                System.err.println("KafkaBrokerMain: clean shutdown took too long, halting");
                Runtime.getRuntime().halt(1);
            }, "orphan-halter");
            halter.setDaemon(true);
            halter.start();
            // Runs Kafka's shutdown hook: a controlled shutdown that flushes the logs.
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void drainUntilEof(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent never writes; anything it does write is ignored
            }
        } catch (IOException e) {
            System.err.println("KafkaBrokerMain: reading the parent pipe failed (" + e + "), treating it as closed");
        }
    }

    private static void sleepSeconds(long seconds) {
        try {
            TimeUnit.SECONDS.sleep(seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
