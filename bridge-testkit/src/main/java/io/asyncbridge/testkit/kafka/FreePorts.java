package io.asyncbridge.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks free local ports for the ports given as 0, below the range the operating system hands out for outgoing
 * connections (32768-60999 on Linux): a broker that is killed and started again needs its port back, and while it is
 * down any outgoing connection on the machine could take a port of that range as its own local port.
 */
final class FreePorts {

    static final int LOWEST = 20_000;
    static final int HIGHEST = 32_767;
    private static final int ATTEMPTS = 200;

    private FreePorts() {
    }

    /** Returns the requested ports with every 0 replaced by a distinct free port. */
    static int[] resolve(int... requested) {
        int[] resolved = requested.clone();
        ServerSocket[] held = new ServerSocket[requested.length];
        try {
            // Hold every socket until all are chosen so the two picks cannot collide.
            for (int i = 0; i < requested.length; i++) {
                if (requested[i] == 0) {
                    held[i] = bindBelowEphemeralRange();
                    resolved[i] = held[i].getLocalPort();
                }
            }
            return resolved;
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port", e);
        } finally {
            for (ServerSocket socket : held) {
                closeQuietly(socket);
            }
        }
    }

    private static ServerSocket bindBelowEphemeralRange() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ServerSocket socket = new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(),
                        random.nextInt(LOWEST, HIGHEST + 1)), 1);
                return socket;
            } catch (IOException taken) {
                socket.close(); // in use: try another
            }
        }
        ServerSocket any = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); // the whole range is busy
        any.setReuseAddress(true);
        return any;
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // the port is released either way; nothing useful to do
        }
    }
}
