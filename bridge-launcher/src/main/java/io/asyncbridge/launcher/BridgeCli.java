package io.asyncbridge.launcher;

import io.asyncbridge.launcher.cluster.ConnectionOptions;
import io.asyncbridge.launcher.config.CheckConfigCommand;
import io.asyncbridge.launcher.demo.DemoCommand;
import io.asyncbridge.launcher.dlq.DlqCommand;
import io.asyncbridge.launcher.run.RunCommand;
import io.asyncbridge.launcher.simulate.SimulateCommand;
import io.asyncbridge.launcher.status.StatusCommand;
import io.asyncbridge.launcher.kafka.KafkaCommand;
import io.asyncbridge.launcher.submit.CancelCommand;
import io.asyncbridge.launcher.submit.SubmitCommand;
import io.asyncbridge.launcher.tail.TailCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code bridge} command line: the one entry point of {@code bridge.jar}. */
@Command(
        name = "bridge",
        mixinStandardHelpOptions = true,
        versionProvider = BridgeCli.Version.class,
        description = "Async Bridge: turns long-running asynchronous REST API tasks into Kafka events.",
        subcommands = {DemoCommand.class, RunCommand.class, SubmitCommand.class, CancelCommand.class, TailCommand.class, StatusCommand.class,
            DlqCommand.class, KafkaCommand.class, SimulateCommand.class, CheckConfigCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:runtime failure (for example the broker did not start)", "2:usage error"})
public final class BridgeCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        LogSettings.apply(args, System.getenv(), System.err); // before anything logs
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code; {@link #main} only adds {@code System.exit}. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        return new CommandLine(new BridgeCli()).setExecutionExceptionHandler(BridgeCli::reportFatal)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Without a subcommand there is nothing to do: show the usage and report a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /**
     * The one place that turns a failure of a command into a readable message and exit code 1.
     * The stack trace is shown only with {@code -Dbridge.debug=true}: the message chain already
     * says what failed and where to look.
     */
    private static int reportFatal(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof ConnectionOptions.UsageException) {
            err.println("bridge " + commandLine.getCommandName() + ": " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        err.println("bridge " + commandLine.getCommandName() + ": " + e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !e.getMessage().contains(cause.getMessage())) {
                err.println("  caused by: " + cause);
            }
        }
        if (Boolean.getBoolean("bridge.debug")) {
            e.printStackTrace(err);
        } else {
            err.println("(run with BRIDGE_JAVA_OPTS=-Dbridge.debug=true for the stack trace)");
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The version from the jar manifest ({@code Implementation-Version}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BridgeCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "Async Bridge " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
