package io.asyncbridge.launcher.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One bridge service in its own JVM, started from the shaded {@code bridge.jar} as {@code bridge run --config FILE
 * --state-dir DIR <service>}, killed with SIGKILL and started again on the same state directory, as a crashed
 * process on the same node would be. Each incarnation logs to its own file, {@code <service>-<n>.log}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration KILL_WAIT = Duration.ofSeconds(15);

    private static final Duration STOP_WAIT = Duration.ofSeconds(90);

    private final String service;
    private final String label;
    private final List<String> command;
    private final Path logDir;
    private Process process;
    private Path log;
    private int incarnation;
    private java.time.Instant startedAt;

    /**
     * @param service    {@code ingest}, {@code poller} or {@code callbacks}
     * @param jvmOptions e.g. {@code -Xmx384m}
     */
    ServiceProcess(String service, Path jar, Path configFile, Path stateDir, Path logDir, List<String> jvmOptions) {
        this(service, service, jar, configFile, stateDir, logDir, jvmOptions);
    }

    /** @param label names this instance's logs when a service runs more than once ({@code poller-b}) */
    ServiceProcess(String service, String label, Path jar, Path configFile, Path stateDir, Path logDir,
            List<String> jvmOptions) {
        this.service = service;
        this.label = label;
        this.logDir = logDir;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        // bridge.jar first: its classes and logging configuration win; the test classes add only the watchdog main.
        cmd.add(jar + java.io.File.pathSeparator + testClasses());
        cmd.add(WatchedBridgeMain.class.getName());
        cmd.addAll(List.of("run", "--config", configFile.toString(), "--state-dir", stateDir.toString(), service));
        this.command = List.copyOf(cmd);
    }

    private static String testClasses() {
        try {
            return Path.of(WatchedBridgeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test classes", e);
        }
    }

    String service() {
        return service;
    }

    /** Starts a new incarnation; does not wait for it to be ready. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(service + " is already running (pid " + process.pid() + ")");
        }
        incarnation++;
        log = logDir.resolve(label + "-" + incarnation + ".log");
        startedAt = java.time.Instant.now();
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + service + " JVM", e);
        }
    }

    /** Waits until the service logged that it runs (its Kafka Streams application reached RUNNING). */
    void awaitRunning(Duration timeout) {
        Process current;
        Path currentLog;
        synchronized (this) {
            current = process;
            currentLog = log;
        }
        String marker = " - " + service + " running";
        await("the " + service + " JVM (" + currentLog.getFileName() + ") to run").atMost(timeout)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!current.isAlive()) {
                        throw new IllegalStateException(service + " exited with code " + current.exitValue()
                                + "; its log:\n" + tail(currentLog));
                    }
                    return Files.readString(currentLog, StandardCharsets.UTF_8).contains(marker);
                });
    }

    /** SIGKILL: no shutdown hook, no drain, no commit. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(service + " (pid " + process.pid() + ") survived SIGKILL for 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + service, e);
        }
    }

    /** SIGTERM: the shutdown hook drains, commits and leaves the group; waits until the JVM exited. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(label + " (pid " + process.pid() + ") did not stop within "
                        + STOP_WAIT.toSeconds() + " s of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + label, e);
        }
    }

    /** When the current incarnation's JVM was started. */
    synchronized java.time.Instant startedAt() {
        return startedAt;
    }

    String label() {
        return label;
    }

    synchronized long pid() {
        return process.pid();
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized int incarnations() {
        return incarnation;
    }

    /** The current incarnation's log. */
    synchronized Path log() {
        return log;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
