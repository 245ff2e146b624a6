package io.asyncbridge.launcher.chaos;

import io.asyncbridge.launcher.BridgeCli;
import java.io.IOException;
import java.io.InputStream;

/**
 * Main class of the service JVMs the chaos and soak tests start: exactly {@code bridge.jar}'s own main
 * ({@link BridgeCli}), plus a watchdog that halts the JVM when its standard input closes. The test JVM keeps that
 * pipe open for its whole life, so the operating system closes it when the test JVM dies, even by {@code kill -9},
 * and no service outlives a failed or interrupted build on a shared machine (the testkit's broker does the same).
 */
public final class WatchedBridgeMain {

    /** The exit code a SIGKILL gives, so an orphan that halted looks like the crash it stands in for. */
    private static final int HALTED = 137;

    private WatchedBridgeMain() {
    }

    public static void main(String[] args) {
        Thread watchdog = new Thread(() -> {
            drainUntilEof(System.in);
            Runtime.getRuntime().halt(HALTED);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        BridgeCli.main(args);
    }

    private static void drainUntilEof(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent never writes; anything it does write is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the parent is gone, the same as end of file
        }
    }
}
