package io.asyncbridge.testkit.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Apache Kafka broker running in a child JVM.
 *
 * <p>A child process keeps the broker's logging, Scala runtime and heap away from the caller, and
 * it can be killed with SIGKILL and restarted on the same ports and data for fault tests. The child
 * exits by itself when this JVM dies (see {@link KafkaBrokerMain}). Its output goes to
 * {@code <dataDir>/broker.log}.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
 *     broker.start();
 *     broker.createTopics(List.of(TopicSpec.of("orders", 3)));
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 *
 * Instances are thread-safe; lifecycle methods are serialized.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 40;

    private final EmbeddedKafkaBrokerConfig config;
    private final int port;
    private final int controllerPort;

    private Path dataDir;
    private Process process;
    private OutputStream parentPipe;
    private boolean closed;

    EmbeddedKafkaBroker(EmbeddedKafkaBrokerConfig config) {
        this.config = config;
        int[] ports = FreePorts.resolve(config.port(), config.controllerPort());
        this.port = ports[0];
        this.controllerPort = ports[1];
        this.dataDir = config.dataDir();
    }

    public static EmbeddedKafkaBrokerConfig.Builder builder() {
        return new EmbeddedKafkaBrokerConfig.Builder();
    }

    /** {@code localhost:<port>}; known before {@link #start()} and stable across restarts. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** The data directory, or empty before the first start when a temporary one will be created. */
    public synchronized Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** Where the child's stdout and stderr go. */
    public synchronized Optional<Path> logFile() {
        return dataDir().map(d -> d.resolve("broker.log"));
    }

    /**
     * Formats the storage if needed, starts the child JVM and returns once the broker answers an
     * AdminClient {@code describeCluster}. Does nothing when already running.
     *
     * @throws IllegalStateException when the broker does not come up within the startup timeout
     *                               (the message includes the end of {@code broker.log})
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("broker " + bootstrapServers() + " is closed");
        }
        if (isRunning()) {
            return;
        }
        Instant begin = Instant.now();
        Path propertiesFile = prepareDataDir();
        Path log = dataDir.resolve("broker.log");
        List<String> command = BrokerCommand.build(config, propertiesFile, clusterId());
        try {
            Files.writeString(log, "=== starting broker at " + Instant.now() + ": " + BrokerCommand.describe(command) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            parentPipe = process.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the broker JVM (" + config.javaBinary() + "); log: " + log, e);
        }
        try {
            awaitReady(begin.plus(config.startupTimeout()));
        } catch (RuntimeException e) {
            kill();
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not start within "
                    + config.startupTimeout().toSeconds() + " s: " + e.getMessage() + "\n--- last lines of " + log
                    + " ---\n" + LogTail.read(log, LOG_TAIL_LINES), e);
        }
        LOG.info("Kafka broker ready on {} in {} ms (pid {}, data {})", bootstrapServers(),
                Duration.between(begin, Instant.now()).toMillis(), process.pid(), dataDir);
    }

    /** Creates the topics that do not exist yet and waits until the broker serves them. */
    public void createTopics(List<TopicSpec> topics) {
        TopicAdmin.createTopics(bootstrapServers(), topics, Duration.ofSeconds(30));
    }

    /** SIGTERM (a controlled shutdown), then SIGKILL if the broker has not exited within 15 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        if (p.isAlive()) {
            p.destroy();
            if (!waitFor(p, STOP_GRACE)) {
                LOG.warn("Kafka broker pid {} did not stop within {} s, killing it; log: {}", p.pid(),
                        STOP_GRACE.toSeconds(), logFile().orElse(null));
                p.destroyForcibly();
                waitFor(p, STOP_GRACE);
            }
        }
        release();
    }

    /** SIGKILL, as in a crash: no controlled shutdown. Data already acknowledged is on disk. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(process, STOP_GRACE);
        release();
    }

    /** Stops (if running) and starts again on the same ports and data directory. */
    public synchronized void restart() {
        stop();
        start();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The child process while it runs (or after it died, until the next stop/kill/restart). */
    public synchronized Optional<ProcessHandle> processHandle() {
        return Optional.ofNullable(process).map(Process::toHandle);
    }

    /** Stops the broker and deletes the data directory if it was a temporary one. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (config.dataDir() == null && dataDir != null) {
            DataDirs.deleteRecursively(dataDir);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", controller port " + controllerPort + ", data " + dataDir + "]";
    }

    private Path prepareDataDir() {
        try {
            if (dataDir == null) {
                dataDir = Files.createTempDirectory("embedded-kafka-");
            }
            Files.createDirectories(dataDir);
            Path propertiesFile = dataDir.resolve("server.properties");
            Files.writeString(propertiesFile, BrokerProperties.render(BrokerProperties.singleNode(
                    port, controllerPort, dataDir.resolve("kafka-logs"), config.brokerProperties())));
            return propertiesFile;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the broker data directory " + dataDir, e);
        }
    }

    /** The id the storage was formatted with, or a new one: formatting a used directory with another id fails. */
    private String clusterId() {
        Path meta = dataDir.resolve("kafka-logs").resolve("meta.properties");
        if (Files.isRegularFile(meta)) {
            Properties properties = new Properties();
            try (var in = Files.newInputStream(meta)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the cluster id from " + meta, e);
            }
            String id = properties.getProperty("cluster.id");
            if (id != null && !id.isBlank()) {
                return id;
            }
        }
        return Uuid.randomUuid().toString();
    }

    private void awaitReady(Instant deadline) {
        // A plain port probe first keeps the admin client from logging connection failures while the JVM boots.
        while (!portOpen()) {
            checkAliveAndDeadline(deadline);
            pause(100);
        }
        try (Admin admin = TopicAdmin.admin(bootstrapServers())) {
            while (true) {
                checkAliveAndDeadline(deadline);
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                    LOG.debug("broker {} not ready yet: {}", bootstrapServers(), e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
                pause(100);
            }
        }
    }

    private void checkAliveAndDeadline(Instant deadline) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the broker JVM exited with code " + process.exitValue());
        }
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("timed out waiting for the broker to accept clients");
        }
    }

    private boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void release() {
        try {
            parentPipe.close();
        } catch (IOException e) {
            LOG.debug("closing the pipe to the broker failed: {}", e.toString());
        }
        process = null;
        parentPipe = null;
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }
}
