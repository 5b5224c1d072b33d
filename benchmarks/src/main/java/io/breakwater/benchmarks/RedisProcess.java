package io.breakwater.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the benchmark's own, started in the forked JVM on a free loopback port
 * without persistence ({@code --save "" --appendonly no}), and stopped again (also by a shutdown
 * hook, should the fork die before its tear-down).
 */
final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final File log;
    private final Thread hook;

    private RedisProcess(Process process, int port, File log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.hook = new Thread(process::destroyForcibly, "benchmark-redis-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code redis-server} (or the binary named by {@code -Dbreakwater.redisServer=}) and waits for its PONG. */
    static RedisProcess start() throws IOException, InterruptedException {
        String binary = System.getProperty("breakwater.redisServer", "redis-server");
        int port = freePort();
        File log = new File(System.getProperty("java.io.tmpdir"), "breakwater-bench-redis-" + port + ".log");
        Process process = new ProcessBuilder(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no"))
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        RedisProcess redis = new RedisProcess(process, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!redis.ping()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                redis.stop();
                throw new IllegalStateException("redis-server did not answer on port " + port + " (see " + log + ")");
            }
            Thread.sleep(20);
        }
        return redis;
    }

    int port() {
        return port;
    }

    private boolean ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops the server and deletes its log (kept only when it failed to start). */
    @Override
    public void close() throws InterruptedException {
        stop();
        log.delete();
    }

    private void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
