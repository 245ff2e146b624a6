package io.asyncbridge.launcher.dlq;

import io.asyncbridge.launcher.cluster.ConnectionOptions;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bridge dlq replay}: re-drives dead-lettered requests after their cause was fixed. The rule: a taskId whose
 * task has a completion other than {@code rejected} is never sent again; one that was only rejected is (it never
 * reached the upstream, so nothing can be done twice). Ingest applies the same rule, so a replay cannot restart a
 * task that ran, even one this command could not see.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Re-produces dead-lettered requests to the requests topic, marked with the bridge.replay header."
            + " Select by --code, --since/--until or --task-id (or --all). A task that already completed (other than"
            + " rejected) is skipped.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (or nothing selected)", "1:runtime failure (Kafka unreachable, ...)",
            "2:usage error"})
public final class DlqReplayCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--code", paramLabel = "CODE", split = ",",
            description = "Only dead letters with this error code (bridge.error.code), e.g. unknown_provider.")
    private List<String> codes = List.of();

    @Option(names = "--task-id", paramLabel = "ID", split = ",", description = "Only these tasks.")
    private List<String> taskIds = List.of();

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only requests submitted at or after TIME (the record time the dead letter keeps): an instant (2026-12-01T10:00:00Z) or a"
                + " duration before now (2h, PT30M).")
    private String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only requests submitted before TIME.")
    private String until;

    @Option(names = "--all", description = "Select every dead letter (when no other selector is given).")
    private boolean all;

    @Option(names = "--dry-run", description = "Show what would be replayed or skipped, and send nothing.")
    private boolean dryRun;

    @Override
    public Integer call() {
        if (codes.isEmpty() && taskIds.isEmpty() && since == null && until == null && !all) {
            throw new ConnectionOptions.UsageException("select what to replay: --code, --task-id, --since/--until,"
                + " or --all");
        }
        Instant now = Instant.now();
        ReplaySelection selection = new ReplaySelection(Set.copyOf(codes), Set.copyOf(taskIds),
            since == null ? null : time(since, now, "--since"), until == null ? null : time(until, now, "--until"));
        PrintWriter out = spec.commandLine().getOut();
        DlqReplayer.Summary summary = new DlqReplayer(connection.bootstrapServers(), connection.topics())
            .replay(selection, dryRun, out::println);
        out.println(summary.describe(dryRun));
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    static Instant time(String text, Instant now, String option) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            return io.asyncbridge.core.config.Durations.parse(text).map(now::minus)
                .orElseThrow(() -> new ConnectionOptions.UsageException(option + ": '" + text + "' is neither an"
                    + " instant (2026-12-01T10:00:00Z) nor a duration (2h, PT30M)"));
        }
    }
}
