package io.asyncbridge.launcher.tail;

import io.asyncbridge.launcher.cluster.ConnectionOptions;
import io.asyncbridge.launcher.console.TaskEvents;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ProgressEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bridge tail}: prints completions as they are committed, as readable lines or raw JSON. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = "Prints completions (read_committed) as they arrive, until Ctrl-C.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (Ctrl-C, or --max reached)", "1:runtime failure (Kafka unreachable, ...)",
            "2:usage error"})
public final class TailCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--from-beginning", description = "Start with the oldest completion instead of new ones.")
    private boolean fromBeginning;

    @Option(names = "--json", description = "Print each completion's JSON as it is on the topic.")
    private boolean json;

    @Option(names = "--progress", description = "Also print progress events.")
    private boolean progress;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N completions.")
    private Integer max;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "Stop when nothing arrived for this long (for scripts).")
    private Duration idleTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int[] seen = {0};
        Instant[] last = {Instant.now()};
        try (TaskEvents events = new TaskEvents(connection.bootstrapServers(), connection.topics(), progress, fromBeginning)) {
            while ((max == null || seen[0] < max)
                    && (idleTimeout == null || Instant.now().isBefore(last[0].plus(idleTimeout)))) {
                events.poll(Duration.ofMillis(500), new TaskEvents.Listener() {
                    @Override
                    public void progress(ProgressEvent event) {
                        last[0] = Instant.now();
                        out.printf("%s  %-24s %-12s progress %3d%%  %s%n", event.observedAt(), event.taskId(),
                                event.provider(), event.progress(), event.upstreamStatus() == null ? "" : event.upstreamStatus());
                        out.flush();
                    }

                    @Override
                    public void completed(Completion completion, String rawJson) {
                        last[0] = Instant.now();
                        seen[0]++;
                        out.println(json ? rawJson : line(completion));
                        out.flush();
                    }
                });
            }
        }
        return CommandLine.ExitCode.OK;
    }

    static String line(Completion completion) {
        return String.format("%s  %-24s %-12s %-9s via %-8s%s", completion.completedAt(), completion.taskId(),
                completion.provider() == null ? "-" : completion.provider(), completion.status().wireName(),
                completion.via().wireName(),
                completion.error() == null ? "" : "  " + completion.error().code() + ": " + completion.error().message());
    }
}
