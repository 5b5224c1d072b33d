package io.breakwater.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback between an application and a server, that injects the network faults a
 * real deployment meets. Every connection is two pump threads; the fault applies to bytes in flight
 * and to new connections from the moment it is set.
 *
 * <ul>
 *   <li>{@link Fault#NONE}: bytes pass.
 *   <li>{@link Fault#LATENCY}: each chunk waits {@code delay} before it is passed on.
 *   <li>{@link Fault#BLACK_HOLE}: connections stay open (and new ones are accepted), no byte passes.
 *   <li>{@link Fault#RESET}: open connections are reset (RST), new ones reset at once.
 *   <li>{@link Fault#SLOW_DRIP}: replies pass one byte every {@code delay}.
 *   <li>{@link Fault#HALF_OPEN}: the application's side is closed for writing (it reads end of
 *       stream) while its requests are still read and dropped, as after a peer vanished mid-way.
 *   <li>{@link Fault#TRUNCATE}: the first byte of a reply passes, then the connection is reset: a
 *       socket closed in the middle of a reply.
 * </ul>
 */
public final class FaultProxy implements AutoCloseable {
    public enum Fault { NONE, LATENCY, BLACK_HOLE, RESET, SLOW_DRIP, HALF_OPEN, TRUNCATE }

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Fault fault = Fault.NONE;
    private volatile long delayNanos;
    private volatile boolean closed;

    private FaultProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
    }

    /** A proxy on a free loopback port in front of {@code 127.0.0.1:targetPort}. */
    public static FaultProxy start(int targetPort) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            FaultProxy proxy = new FaultProxy(listener, targetPort);
            Thread acceptor = new Thread(proxy::accept, "fault-proxy-accept-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    public Fault fault() {
        return fault;
    }

    /** Sets a fault without a delay parameter (NONE, BLACK_HOLE, RESET, HALF_OPEN). */
    public void set(Fault newFault) {
        set(newFault, Duration.ZERO);
    }

    public synchronized void set(Fault newFault, Duration delay) {
        delayNanos = delay.toNanos();
        fault = newFault;
        if (newFault == Fault.RESET) {
            sockets.forEach(FaultProxy::reset);
        } else if (newFault == Fault.HALF_OPEN) {
            for (Socket s : sockets) {
                if (s.getLocalPort() == port()) { // the application's side
                    try {
                        s.shutdownOutput();
                    } catch (IOException ignored) {
                        // already gone
                    }
                }
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (fault == Fault.RESET) {
                    reset(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                if (fault == Fault.HALF_OPEN) {
                    client.shutdownOutput();
                }
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // The target refused: the application's connection is closed, as a dead server would do.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean reply) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (from; to) {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) != -1) {
                    forward(out, buffer, n, reply);
                }
            } catch (IOException e) {
                // A reset or closed connection ends the pump; a fault ends it with a reset.
                reset(from);
                reset(to);
            } finally {
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "fault-proxy-pump-" + from.getPort());
        t.setDaemon(true);
        t.start();
    }

    private void forward(OutputStream out, byte[] buffer, int n, boolean reply) throws IOException {
        switch (fault) {
            case NONE -> out.write(buffer, 0, n);
            case LATENCY -> {
                LockSupport.parkNanos(delayNanos);
                out.write(buffer, 0, n);
            }
            case SLOW_DRIP -> {
                if (!reply) {
                    out.write(buffer, 0, n);
                    break;
                }
                for (int i = 0; i < n; i++) {
                    LockSupport.parkNanos(delayNanos);
                    out.write(buffer[i]);
                    out.flush();
                }
            }
            case BLACK_HOLE, HALF_OPEN -> {
                // Read and dropped: nothing reaches the other side, nobody is told.
            }
            case RESET -> throw new SocketException("reset by fault proxy");
            case TRUNCATE -> {
                if (!reply) {
                    out.write(buffer, 0, n);
                    break;
                }
                out.write(buffer, 0, 1);
                out.flush();
                throw new SocketException("cut mid-reply by fault proxy");
            }
        }
        out.flush();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // close with RST, not FIN
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(FaultProxy::reset);
    }
}
