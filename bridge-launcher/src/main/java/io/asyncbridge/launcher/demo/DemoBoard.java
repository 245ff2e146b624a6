package io.asyncbridge.launcher.demo;

import io.asyncbridge.launcher.console.ProgressBar;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ProgressEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's live view: one line per task with a progress bar fed by the progress topic, then its final status.
 * On a terminal the block is redrawn in place; otherwise (CI, a pipe) a line is printed whenever a task changes.
 */
final class DemoBoard {

    private static final int BAR_WIDTH = 20;

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final PrintWriter out;
    private final boolean redraw;
    private boolean drawn;

    DemoBoard(List<DemoTask> tasks, PrintWriter out, boolean redraw) {
        tasks.forEach(task -> rows.put(task.taskId(), new Row(task)));
        this.out = out;
        this.redraw = redraw;
    }

    private static final class Row {
        final DemoTask task;
        int progress = -1;
        String upstreamStatus;
        Completion completion;

        Row(DemoTask task) {
            this.task = task;
        }
    }

    void progress(ProgressEvent event) {
        Row row = rows.get(event.taskId());
        if (row != null && row.completion == null && event.progress() != row.progress) {
            row.progress = event.progress();
            row.upstreamStatus = event.upstreamStatus();
            changed(row);
        }
    }

    void completed(Completion completion) {
        Row row = rows.get(completion.taskId());
        if (row != null && row.completion == null) {
            row.completion = completion;
            changed(row);
        }
    }

    boolean allDone() {
        return rows.values().stream().allMatch(row -> row.completion != null);
    }

    /** Tasks whose completion differs from what the demo expects (or that have none). */
    List<String> unexpected() {
        return rows.values().stream()
                .filter(row -> row.completion == null || row.completion.status() != row.task.expected())
                .map(row -> row.task.taskId() + " (expected " + row.task.expected().wireName() + ", got "
                        + (row.completion == null ? "nothing" : row.completion.status().wireName()) + ")")
                .toList();
    }

    void drawAll() {
        if (redraw) {
            if (drawn) {
                out.print("\033[" + rows.size() + "F");
            }
            rows.values().forEach(row -> out.println("\033[2K" + line(row)));
            drawn = true;
        } else {
            rows.values().forEach(row -> out.println(line(row)));
        }
        out.flush();
    }

    private void changed(Row row) {
        if (redraw) {
            drawAll();
        } else {
            out.println(line(row));
            out.flush();
        }
    }

    private static String line(Row row) {
        String name = String.format("%-26s %-10s", shortId(row.task.taskId()), row.task.provider());
        if (row.completion != null) {
            Completion done = row.completion;
            Duration took = Duration.between(done.submittedAt(), done.completedAt());
            String mark = done.status() == row.task.expected() ? "ok " : "!! ";
            return name + " " + mark + String.format("%-9s via %-8s %5.1f s", done.status().wireName(), done.via().wireName(),
                    took.toMillis() / 1000.0) + (done.error() == null ? "" : "  " + done.error().code());
        }
        if (row.progress >= 0) {
            return name + " " + ProgressBar.render(row.progress, BAR_WIDTH) + "  "
                    + (row.upstreamStatus == null ? "" : row.upstreamStatus);
        }
        return name + " " + (row.task.provider().equals("documents") ? "waiting for the webhook..." : "submitted...");
    }

    private static String shortId(String taskId) {
        int dash = taskId.indexOf('-');
        return dash < 0 ? taskId : taskId.substring(dash + 1);
    }

    void summary() {
        out.println();
        out.println("Summary (every task ended exactly once; the completion is the only thing a consumer sees):");
        out.printf("  %-26s %-10s %-9s %-8s %s%n", "task", "provider", "status", "via", "error / story");
        for (Row row : rows.values()) {
            Completion done = row.completion;
            out.printf("  %-26s %-10s %-9s %-8s %s%n", shortId(row.task.taskId()), row.task.provider(),
                    done == null ? "-" : done.status().wireName(), done == null ? "-" : done.via().wireName(),
                    done == null || done.error() == null ? row.task.story() : done.error().code() + ": " + row.task.story());
        }
        out.flush();
    }
}
