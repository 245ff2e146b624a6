package io.asyncbridge.testkit.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of an {@link EmbeddedKafkaBroker}; built with {@link EmbeddedKafkaBroker#builder()}.
 *
 * @param port             client port, 0 = a free one
 * @param controllerPort   KRaft controller port, 0 = a free one
 * @param dataDir          reused and kept when given; {@code null} = a fresh temporary directory deleted on close
 * @param maxHeap          the child's {@code -Xmx} value, e.g. {@code 512m}
 * @param javaBinary       the {@code java} launcher of the child
 * @param classpath        the child's class path (must hold kafka_2.13 and this module)
 * @param startupTimeout   how long {@code start()} waits for the broker to accept clients
 * @param brokerProperties extra {@code server.properties} entries, applied last
 * @param logLevel         the broker's log level (slf4j-simple names: trace, debug, info, warn, error)
 * @param jvmOptions       extra JVM options for the child
 */
public record EmbeddedKafkaBrokerConfig(
        int port,
        int controllerPort,
        Path dataDir,
        String maxHeap,
        Path javaBinary,
        String classpath,
        Duration startupTimeout,
        Map<String, String> brokerProperties,
        String logLevel,
        List<String> jvmOptions) {

    public EmbeddedKafkaBrokerConfig {
        checkPort("port", port);
        checkPort("controllerPort", controllerPort);
        Objects.requireNonNull(maxHeap, "maxHeap");
        Objects.requireNonNull(javaBinary, "javaBinary");
        Objects.requireNonNull(classpath, "classpath");
        Objects.requireNonNull(logLevel, "logLevel");
        if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
        }
        brokerProperties = Map.copyOf(brokerProperties);
        jvmOptions = List.copyOf(jvmOptions);
    }

    private static void checkPort(String name, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(name + " must be 0 (free port) or 1-65535, was " + value);
        }
    }

    /** Builder with the defaults documented on each setter. */
    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path dataDir;
        private String maxHeap = "512m";
        private Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
        // Under surefire this is the manifest-only booter jar, whose Class-Path the child JVM honours too.
        private String classpath = System.getProperty("java.class.path");
        // A broker recovering its logs after a crash, on a loaded 2-core machine, can take most of a minute.
        private Duration startupTimeout = Duration.ofSeconds(90);
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private String logLevel = "warn";
        private final List<String> jvmOptions = new ArrayList<>();

        Builder() {
        }

        /** Client port; default 0 = a free port chosen when the broker is built. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Controller port; default 0 = a free port. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** A directory to use and keep; default: a fresh temporary directory deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The child's maximum heap, a {@code -Xmx} value; default {@code 512m}. */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        /** Default: {@code $java.home/bin/java} of the current JVM. */
        public Builder javaBinary(Path javaBinary) {
            this.javaBinary = javaBinary;
            return this;
        }

        /** Default: {@code System.getProperty("java.class.path")}. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /** Default 90 s. */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** One extra or overriding {@code server.properties} entry. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public Builder brokerProperties(Map<String, String> properties) {
            brokerProperties.putAll(properties);
            return this;
        }

        /** The broker's own log level; default {@code warn}. */
        public Builder logLevel(String logLevel) {
            this.logLevel = logLevel;
            return this;
        }

        /**
         * A feature level the storage is formatted with, e.g. {@code transaction.version} 1 for the transaction
         * protocol before KIP-890. Only a fresh data directory takes it: a formatted one keeps its levels.
         */
        public Builder formatFeature(String feature, int level) {
            jvmOptions.add("-D" + KafkaBrokerMain.FEATURE_PROPERTY_PREFIX + feature + "=" + level);
            return this;
        }

        /** Extra JVM options for the child, e.g. {@code -XX:+UseSerialGC}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public EmbeddedKafkaBrokerConfig config() {
            return new EmbeddedKafkaBrokerConfig(port, controllerPort, dataDir, maxHeap, javaBinary, classpath,
                    startupTimeout, brokerProperties, logLevel, jvmOptions);
        }

        /** Builds the broker (resolving free ports); call {@link EmbeddedKafkaBroker#start()} next. */
        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(config());
        }
    }
}
