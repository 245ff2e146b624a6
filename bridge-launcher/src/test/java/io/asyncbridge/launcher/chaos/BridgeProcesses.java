package io.asyncbridge.launcher.chaos;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.launcher.cluster.DefaultTopics;
import io.asyncbridge.schemas.topic.TopicNames;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge as separate processes: a Kafka broker in a child JVM (the testkit's, which can be killed and started
 * again on the same ports and log directory) and one JVM per service from {@code bridge.jar}. Closing kills them
 * all; a shutdown hook does the same if the test JVM exits early, and every child also ends when the test JVM dies
 * (stdin watchdogs).
 */
final class BridgeProcesses implements AutoCloseable {

    static final List<String> SERVICES = List.of("ingest", "poller", "callbacks");
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** How long a service that keeps exiting while it starts is started again (back-to-back broker outages). */
    private static final Duration SUPERVISED_FOR = Duration.ofMinutes(10);
    private static final int PARTITIONS = 3;

    private final EmbeddedKafkaBroker broker;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::killAll, "bridge-processes-cleanup");
    private BridgeConfig config;
    private Path configFile;
    private Path logs;
    private Path dir;
    private Path jar;
    private List<String> jvmOptions;

    private BridgeProcesses(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the broker, creates the bridge's topics, writes the configuration and starts the three services, each
     * in its own JVM, returning once all of them run.
     */
    static BridgeProcesses start(Path dir, Path jar, UpstreamSimulator simulator, Duration retention,
            List<String> serviceJvmOptions) {
        return start(dir, jar, simulator, retention, serviceJvmOptions, Duration.ofSeconds(6), PARTITIONS);
    }

    /**
     * As above, with the services' session timeout ({@code null}: the bridge's default) and the topics' partitions.
     */
    static BridgeProcesses start(Path dir, Path jar, UpstreamSimulator simulator, Duration retention,
            List<String> serviceJvmOptions, Duration sessionTimeout, int partitions) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build bridge-launcher (mvn package) first");
        }
        BridgeProcesses processes = new BridgeProcesses(EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka"))
                .classpath(jar.toString()).maxHeap("512m").build());
        try {
            processes.broker.start();
            processes.broker.createTopics(DefaultTopics.withPartitions(TopicNames.defaults(), partitions));
            processes.configFile = Files.writeString(dir.resolve("bridge.yaml"), RunConfigs.bridgeYaml(
                    processes.broker.bootstrapServers(), freePort(), simulator, retention, sessionTimeout));
            processes.config = new BridgeConfigLoader(Map.of()).load(processes.configFile);
            Path logs = Files.createDirectories(dir.resolve("logs"));
            processes.logs = logs;
            List<String> options = new java.util.ArrayList<>(serviceJvmOptions);
            // full logger names, so the bridge's own errors can be told from Kafka's (see errorsLogged)
            options.add("-Dbridge.log.loggerLength=200");
            processes.dir = dir;
            processes.jar = jar;
            processes.jvmOptions = List.copyOf(options);
            for (String name : SERVICES) {
                processes.services.put(name, new ServiceProcess(name, jar, processes.configFile, dir.resolve("state"),
                        logs, options));
            }
            processes.services.values().forEach(ServiceProcess::start);
            processes.services.values().forEach(service -> service.awaitRunning(READY_TIMEOUT));
            return processes;
        } catch (IOException e) {
            processes.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            processes.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    BridgeConfig config() {
        return config;
    }

    ServiceProcess service(String name) {
        ServiceProcess service;
        synchronized (services) {
            service = services.get(name);
        }
        if (service == null) {
            throw new IllegalArgumentException("no service " + name + "; services are " + services.keySet());
        }
        return service;
    }

    /**
     * Another instance of {@code service} in its own JVM with its own state directory ({@code state-<label>}), started
     * and awaited until it runs; {@code config} is its configuration file (e.g. another session timeout).
     */
    ServiceProcess addInstance(String service, String label, Path config) {
        ServiceProcess instance = new ServiceProcess(service, label, jar, config, dir.resolve("state-" + label), logs,
                jvmOptions);
        synchronized (services) {
            if (services.containsKey(label)) {
                throw new IllegalArgumentException("an instance " + label + " exists already");
            }
            services.put(label, instance);
        }
        instance.start();
        instance.awaitRunning(READY_TIMEOUT);
        return instance;
    }

    Path configFile() {
        return configFile;
    }

    /** The state directory the first instance of every service shares. */
    Path stateDir() {
        return dir.resolve("state");
    }

    /** The process ids of the running services, by name (for heap probes). */
    Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        services.forEach((name, service) -> pids.put(name, service.pid()));
        return pids;
    }

    /**
     * Every ERROR the bridge's own code logged in any incarnation of any service: a stream thread that died, an
     * answer that could not be recorded, a request that failed inside the webhook endpoint. Kafka's own errors
     * (expected around kills, e.g. a store to restore) are left out.
     */
    List<String> errorsLogged() throws IOException {
        List<String> errors = new java.util.ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
                    lines.filter(line -> line.contains(" ERROR io.asyncbridge."))
                            .forEach(line -> errors.add(log.getFileName() + ": " + line));
                }
            }
        }
        return errors;
    }

    /** The WARN lines in which a service said it ended a transaction Kafka had left open. */
    List<String> transactionRecoveriesLogged() throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                try (var all = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
                    all.filter(line -> line.contains("WARN") && line.contains("TransactionRecovery"))
                            .forEach(line -> lines.add(log.getFileName() + ": " + line));
                }
            }
        }
        return lines;
    }

    /** SIGKILL, {@code downtime} without the service, then a new incarnation on the same state; waits until it runs. */
    void killAndRestart(String name, Duration downtime) {
        ServiceProcess service = service(name);
        service.kill();
        pause(downtime);
        startSupervised(service);
    }

    /**
     * Starts a service and waits until it runs, starting it again when it exits on the way, as a supervisor
     * (systemd, Kubernetes) would: a service started while the broker is down gives up after its start-up timeout
     * and exits 1 ("cannot list topics"), which is what it should do.
     */
    private void startSupervised(ServiceProcess service) {
        long deadline = System.nanoTime() + SUPERVISED_FOR.toNanos();
        for (int attempt = 1; ; attempt++) {
            service.start();
            try {
                // a supervisor does not kill a service that is still starting (restoring, or waiting for the broker)
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                service.awaitRunning(left.compareTo(READY_TIMEOUT) > 0 ? left : READY_TIMEOUT);
                return;
            } catch (IllegalStateException exited) {
                if (System.nanoTime() > deadline) {
                    throw exited;
                }
                System.out.printf("chaos: %s exited while starting (attempt %d), starting it again: %s%n",
                        service.service(), attempt, exited.getMessage().lines().findFirst().orElse(""));
                broker.isRunning(); // waits while the broker is being started (its lifecycle methods are serialized)
                pause(Duration.ofSeconds(1));
            }
        }
    }

    /** SIGKILL of the broker JVM, {@code downtime}, then the same broker (ports, log directory) again. */
    void killAndRestartBroker(Duration downtime) {
        broker.kill();
        pause(downtime);
        broker.start();
    }

    /** SIGTERM of the broker JVM (a controlled shutdown), {@code downtime}, then the same broker again. */
    void stopAndRestartBroker(Duration downtime) {
        broker.stop();
        pause(downtime);
        broker.start();
    }

    /** Copies the services' and the broker's logs of the last run to target/chaos-logs, for a post-mortem. */
    static void keepLogs(Path dir) throws IOException {
        Path kept = Path.of("target", "chaos-logs");
        if (Files.isDirectory(kept)) {
            try (var old = Files.list(kept)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(kept);
        List<Path> logs = new java.util.ArrayList<>();
        if (Files.isDirectory(dir.resolve("logs"))) {
            try (var files = Files.list(dir.resolve("logs"))) {
                logs.addAll(files.toList());
            }
        }
        logs.add(dir.resolve("kafka").resolve("broker.log"));
        for (Path log : logs) {
            if (Files.isRegularFile(log)) {
                Files.copy(log, kept.resolve(log.getFileName()));
            }
        }
    }

    private static void pause(Duration downtime) {
        try {
            Thread.sleep(downtime.toMillis()); // the outage itself: nothing to await, it is the point
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an outage", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void killAll() {
        synchronized (services) {
            services.values().forEach(ServiceProcess::close);
        }
        broker.kill();
    }

    @Override
    public void close() {
        try {
            killAll();
            broker.close();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run: nothing left to undo
            }
        }
    }
}
