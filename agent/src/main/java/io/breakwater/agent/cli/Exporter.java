package io.breakwater.agent.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The Prometheus JMX exporter agent that {@code attach --prometheus} loads beside Breakwater. The
 * exporter calls {@code System.exit(1)} in its host when its configuration is bad or its port is
 * taken, so everything is checked here, in the CLI's own JVM, before it goes near the target.
 */
final class Exporter {
    static final String JAR = "jmx_prometheus_javaagent.jar";
    static final String CONFIG = "breakwater.yaml";
    /** The exporter agent's class, named in its jar's manifest. */
    static final String AGENT_CLASS = "io.prometheus.jmx.JavaAgent";

    private final String host;
    private final int port;
    private final Path jar;
    private final Path config;

    private Exporter(String host, int port, Path jar, Path config) {
        this.host = host;
        this.port = port;
        this.jar = jar;
        this.config = config;
    }

    /**
     * Checks the command line: the address, the jar and the configuration (with the exporter's own parser). Whether
     * it can serve is {@link #checkCanServe()}'s question, asked once the target is known to have no exporter yet.
     *
     * @param address {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code PORT} (host 127.0.0.1)
     * @param jarOption {@code --exporter-jar}, or {@code null} to look beside the agent
     * @param configOption {@code --exporter-config}, or {@code null} to look beside the agent
     */
    static Exporter prepare(String address, String jarOption, String configOption) throws CliException {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : address.substring(0, colon);
        String portText = address.substring(colon + 1);
        if (host.isEmpty() || !portText.matches("\\d{1,5}") || Integer.parseInt(portText) == 0 || Integer.parseInt(portText) > 65535) {
            throw CliException.usage("--prometheus wants HOST:PORT or PORT, e.g. 127.0.0.1:9404; got '" + address + "'");
        }
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]") && host.length() > 2)) {
            // The exporter's own parser takes an IPv6 address only in brackets, and exits the JVM on anything else.
            throw CliException.usage("--prometheus: an IPv6 address goes in brackets, e.g. [::1]:9404; got '" + address + "'");
        }
        Path jar = locate("exporter jar", "--exporter-jar", jarOption, AgentJar.candidates(JAR, "jmx-config/target/" + JAR));
        Path config = locate("exporter config", "--exporter-config", configOption, AgentJar.candidates(CONFIG, "jmx-config/" + CONFIG));
        ExporterConfig.check(jar, config);
        return new Exporter(host, Integer.parseInt(portText), jar, config);
    }

    /**
     * The exporter would bind in the target and exit the target if it could not: its port is tried here first, then
     * the exporter's own start-up (its argument parser, its HTTP server with the configuration's authentication and
     * TLS settings) is run in this JVM and stopped again; {@link #prepare} already built its collector.
     */
    void checkCanServe() throws CliException {
        checkPortFree();
        ExporterConfig.startAndStop(jar, agentArgument(), config);
    }

    /** The host as {@link InetAddress} takes it: an IPv6 address without its brackets. */
    private String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static Path locate(String what, String option, String given, List<Path> candidates) throws CliException {
        if (given != null) {
            Path path = Path.of(given).toAbsolutePath().normalize();
            if (Files.isDirectory(path)) {
                throw CliException.usage(what + " " + path + " is a directory, not a file");
            }
            if (Files.exists(path) && !Files.isRegularFile(path)) {
                throw CliException.usage(what + " " + path + " is not a regular file (a device or a pipe)");
            }
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw CliException.usage(what + " " + path + " does not exist or is not readable");
            }
            return path;
        }
        Path found = AgentJar.firstExisting(candidates);
        if (found == null) {
            throw CliException.usage(what + " not found in " + candidates.get(0).getParent()
                    + (candidates.size() > 1 ? " nor " + candidates.get(1).getParent() : "")
                    + "; build it (mvn package) or pass " + option + " PATH");
        }
        return found.toAbsolutePath().normalize();
    }

    private void checkPortFree() throws CliException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(bareHost()), port));
        } catch (java.net.UnknownHostException e) {
            throw CliException.failure("cannot serve metrics on " + host + ":" + port + ": unknown host '" + host + "'");
        } catch (java.net.BindException e) {
            boolean inUse = String.valueOf(e.getMessage()).contains("in use");
            throw CliException.failure("cannot serve metrics on " + host + ":" + port + " (" + CliException.firstLine(e) + ")"
                    + (inUse ? ": choose another port with --prometheus"
                            : "; " + host + " is not an address of this machine (127.0.0.1 serves it locally)"));
        } catch (IOException e) {
            throw CliException.failure("cannot serve metrics on " + host + ":" + port + " (" + CliException.firstLine(e) + ")");
        }
    }

    /** Whether a jar is the exporter's agent (by its manifest; by its name when it cannot be read). */
    static boolean isExporterJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest != null && AGENT_CLASS.equals(manifest.getMainAttributes().getValue("Agent-Class"));
        } catch (IOException | RuntimeException e) {
            return jar.getFileName() != null && jar.getFileName().toString().startsWith("jmx_prometheus_javaagent");
        }
    }

    Path jar() {
        return jar;
    }

    /** The exporter's own argument format: {@code host:port:config}. */
    String agentArgument() {
        return host + ":" + port + ":" + config;
    }

    String url() {
        return "http://" + host + ":" + port + "/metrics"; // an IPv6 host keeps its brackets
    }
}
