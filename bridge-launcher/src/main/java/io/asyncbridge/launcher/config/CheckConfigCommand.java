package io.asyncbridge.launcher.config;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ConfigException;
import io.asyncbridge.core.config.ProviderConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bridge check-config}: validates a config file and explains every problem, or summarizes what it sets up. */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        description = {"Validates a configuration file and explains each problem.",
            "Uses the current environment for $${NAME} references and BRIDGE_* overrides, and lists every problem",
            "with its key, or summarizes the providers it configures."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the configuration is valid", "2:the configuration has problems (each one is listed)"})
public final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", defaultValue = "bridge.yaml", description = "Default: ${DEFAULT-VALUE}.")
    private Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BridgeConfig config;
        try {
            config = new BridgeConfigLoader(System.getenv()).load(file);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        out.printf("%s is valid.%n", file);
        out.printf("  kafka: %s (application prefix %s)%n", config.kafka().bootstrapServers(), config.kafka().applicationPrefix());
        out.printf("  topics: requests=%s completions=%s progress=%s deadLetter=%s%n", config.topics().requests(),
                config.topics().completions(), config.topics().progress(), config.topics().deadLetter());
        config.callbacks().publicBaseUrl().ifPresent(url ->
                out.printf("  callbacks: listening on %s:%d, upstreams call back under %s/callbacks/%n",
                        config.callbacks().host(), config.callbacks().port(), url));
        for (ProviderConfig provider : config.providers().values()) {
            out.printf("  provider %s: type %s, %s mode, %s, allowed hosts %s, default timeout %s%n", provider.name(),
                    provider.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    provider.mode().name().toLowerCase(java.util.Locale.ROOT), provider.baseUrl(), provider.allowedHosts(),
                    provider.defaultTimeout());
        }
        out.flush();
        return CommandLine.ExitCode.OK;
    }
}
