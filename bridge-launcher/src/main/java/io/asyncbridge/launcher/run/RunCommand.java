package io.asyncbridge.launcher.run;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ConfigException;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.ServiceLauncher;
import io.asyncbridge.launcher.cluster.ConnectionOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bridge run}: the bridge's services against any Kafka cluster, in one process. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs bridge services against a Kafka cluster until Ctrl-C or SIGTERM.",
            "Without service names it runs what the config needs: ingest, plus poller (any poll provider)",
            "and callbacks (any callback provider). Run more instances (same config) to scale out.",
            "A change of the config file, or SIGHUP, reloads upstream credentials without a restart."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly (Ctrl-C or SIGTERM)", "1:a service failed to start",
            "2:usage error or invalid configuration (every problem is listed)"})
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "bridge.yaml",
            description = "Configuration file. Default: ${DEFAULT-VALUE}.")
    private Path config;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "bridge-data",
            description = "Local state of the Kafka Streams stores (rebuilt from Kafka when lost). Default: ${DEFAULT-VALUE}.")
    private Path stateDir;

    /** Read by {@code LogSettings} before picocli runs (logging starts first); declared here for help and checks. */
    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "Log lines as text or json (one JSON object per line, for log shippers)."
                + " Default: BRIDGE_LOG_FORMAT, else text.")
    private LogFormat logFormat;

    /** The log formats {@code logback.xml} knows. */
    enum LogFormat { text, json }

    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Any of: ingest, poller, callbacks.")
    private List<String> services = new ArrayList<>();

    @Override
    public Integer call() {
        BridgeConfig loaded;
        try {
            loaded = new BridgeConfigLoader(System.getenv()).load(config);
        } catch (ConfigException e) {
            throw new ConnectionOptions.UsageException(e.getMessage());
        }
        List<String> names = services.isEmpty() ? ServiceCatalog.neededBy(loaded) : services;
        var factory = ServiceCatalog.factory(names);
        System.out.println("bridge run: starting " + String.join(", ", names) + " against " + loaded.kafka().bootstrapServers());
        return ServiceLauncher.runUntilStopped(new ServiceContext(loaded, stateDir, Vertx.vertx(), Clock.systemUTC()), factory,
            config, System.getenv());
    }
}
