package io.asyncbridge.launcher.cluster;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ConfigException;
import io.asyncbridge.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the client commands ({@code submit}, {@code tail}) find Kafka: {@code --bootstrap-server}, else the config
 * file's {@code kafka.bootstrapServers}, else {@code BRIDGE_KAFKA_BOOTSTRAP_SERVERS}, else localhost:9092. Topic names
 * come from the config file when one is given.
 */
public final class ConnectionOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "bridge.yaml to take the bootstrap servers and topic names from.")
    private Path config;

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: from --config, BRIDGE_KAFKA_BOOTSTRAP_SERVERS or localhost:9092.")
    private String bootstrapServers;

    private BridgeConfig loaded;

    /** The config file, loaded once; a broken one is a usage error with every problem listed. */
    public Optional<BridgeConfig> config() {
        if (config == null) {
            return Optional.empty();
        }
        if (loaded == null) {
            try {
                loaded = new BridgeConfigLoader(System.getenv()).load(config);
            } catch (ConfigException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return Optional.of(loaded);
    }

    public String bootstrapServers() {
        if (bootstrapServers != null) {
            return bootstrapServers;
        }
        return config().map(c -> c.kafka().bootstrapServers())
                .orElse(Optional.ofNullable(System.getenv("BRIDGE_KAFKA_BOOTSTRAP_SERVERS")).orElse("localhost:9092"));
    }

    public TopicNames topics() {
        return config().map(BridgeConfig::topics).orElse(TopicNames.defaults());
    }

    /** A mistake of the user's that the CLI reports as a usage error (exit 2). */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
