package io.asyncbridge.launcher.dlq;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code bridge dlq}: work with the dead-letter topic. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = "Works with dead-lettered requests.",
        subcommands = {DlqReplayCommand.class})
public final class DlqCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
