package io.asyncbridge.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks free local ports for the ports given as 0. */
final class FreePorts {

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
                    held[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    held[i].setReuseAddress(true);
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
