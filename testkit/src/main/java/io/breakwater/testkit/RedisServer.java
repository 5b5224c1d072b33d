package io.breakwater.testkit;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code redis-server} process on a loopback port, without persistence. It can be killed
 * (SIGKILL, as a crash), frozen (SIGSTOP, as a hang) and started again on the same port.
 */
public final class RedisServer implements AutoCloseable {
    private final String binary;
    private final int port;
    private final File dataDir; // null: nothing survives a kill
    private final boolean clusterNode;
    private Process process;

    private RedisServer(String binary, int port, File dataDir) {
        this(binary, port, dataDir, false);
    }

    private RedisServer(String binary, int port, File dataDir, boolean clusterNode) {
        this.binary = binary;
        this.port = port;
        this.dataDir = dataDir;
        this.clusterNode = clusterNode;
    }

    /** A persistent, cluster-enabled node (not yet part of a cluster); see {@link RedisCluster}. */
    static RedisServer startClusterNode() {
        try {
            int port = FreePort.find();
            RedisServer server = new RedisServer(Prerequisites.require("redis-server"), port, dataDir(port), true);
            server.restart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on a free port without persistence; skips (or fails under CI) when redis-server is missing. */
    public static RedisServer start() {
        RedisServer server = new RedisServer(Prerequisites.require("redis-server"), FreePort.find(), null);
        server.restart();
        return server;
    }

    /**
     * Starts a server whose every write is fsynced to an append-only file, so that what it
     * acknowledged before a kill is there again after {@link #restart()}, as with a production Redis.
     */
    public static RedisServer startPersistent() {
        try {
            int port = FreePort.find();
            RedisServer server = new RedisServer(Prerequisites.require("redis-server"), port, dataDir(port));
            server.restart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            List<String> command = new java.util.ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--protected-mode", "no", "--daemonize", "no"));
            if (dataDir == null) {
                command.addAll(List.of("--appendonly", "no"));
            } else {
                command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dataDir.getAbsolutePath()));
            }
            if (clusterNode) {
                command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", "2000"));
            }
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("redis-server on port " + port).atMost(Duration.ofSeconds(20)).until(this::answersPing);
    }

    /** Persistence files, under the build's target folder (cleaned with it), never in /tmp. */
    private static File dataDir(int port) throws IOException {
        File dir = new File("target", "redis-data/" + port).getAbsoluteFile();
        java.nio.file.Files.createDirectories(dir.toPath());
        return dir;
    }

    /** The server's output, kept under the build's target folder, never left in /tmp. */
    private File logFile() throws IOException {
        File dir = new File("target", "redis-logs");
        java.nio.file.Files.createDirectories(dir.toPath());
        return new File(dir, "redis-" + port + ".log");
    }

    /** Kills the server at once, as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
    public synchronized void freeze() {
        signal("STOP");
    }

    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one inline command with a plain socket (no Jedis, so no agent involved) and returns the reply line. */
    public String command(String inline) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                reply.append((char) c);
            }
            String first = reply.toString().trim();
            if (first.startsWith("$") && !first.equals("$-1")) {
                reply.setLength(0);
                while ((c = in.read()) != -1 && c != '\n') {
                    reply.append((char) c);
                }
                return reply.toString().trim();
            }
            return first;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answersPing() {
        try {
            return "+PONG".equals(command("PING"));
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            thaw();
            kill();
        }
    }
}
