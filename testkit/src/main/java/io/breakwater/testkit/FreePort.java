package io.breakwater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A loopback TCP port nobody listens on right now, and one this JVM has not handed out before. */
public final class FreePort {
    /*
     * The kernel may give the same ephemeral port to two bind(0) calls in a row once the first socket is
     * closed, so a test asking for a Redis port and a CSMS port could get one port twice. Ports already
     * handed out are skipped; a test JVM asks for a few dozen, far below the ephemeral range.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 1_000;

    private FreePort() {}

    public static int find() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = unusedPort();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no loopback port left that this JVM has not handed out already");
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
