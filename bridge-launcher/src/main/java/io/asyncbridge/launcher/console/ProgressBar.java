package io.asyncbridge.launcher.console;

/** A text progress bar: {@code [##########..........]  50%}. */
public final class ProgressBar {

    private ProgressBar() {
    }

    public static String render(int percent, int width) {
        int clamped = Math.max(0, Math.min(100, percent));
        int filled = clamped * width / 100;
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + String.format("%3d%%", clamped);
    }
}
