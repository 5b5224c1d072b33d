package io.breakwater.agent.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an exporter configuration with the exporter's own parser, loaded from its jar into an
 * isolated class loader in this JVM: a file the exporter would reject never reaches a target,
 * where the rejection would be {@code System.exit(1)}.
 */
final class ExporterConfig {
    /** Settings for the exporter's standalone mode, on which its agent mode exits the JVM. */
    private static final Pattern REMOTE_ONLY = Pattern.compile("(?m)^\\s*(jmxUrl|hostPort)\\s*:");

    private static final String REGISTRY = "io.prometheus.metrics.model.registry.PrometheusRegistry";
    private static final String SERVER_FACTORY = "io.prometheus.jmx.common.http.HTTPServerFactory";

    private static final Pattern CAST = Pattern.compile("class ([\\w.$]+) cannot be cast to class ([\\w.$]+)");

    private ExporterConfig() {}

    /**
     * The exporter reads its YAML as maps and lists and casts: a document that is not a mapping (a plain text file,
     * a list), or a setting of the wrong type ({@code lowercaseOutputName: maybe}), fails as a ClassCastException.
     */
    private static String wrongType(String message) {
        Matcher cast = CAST.matcher(String.valueOf(message));
        if (!cast.find()) {
            return "a setting has a value of the wrong type, or it is not a YAML mapping of exporter settings";
        }
        String found = simpleName(cast.group(1));
        String wanted = simpleName(cast.group(2));
        return wanted.equals("Map") ? "it is not a YAML mapping of exporter settings (" + found + " at the top)"
                : "a setting has a value of the wrong type (" + found + " where " + wanted + " belongs)";
    }

    /** A blank line, a comment or a document marker. */
    private static boolean saysNothing(String line) {
        return line.isEmpty() || line.startsWith("#") || line.equals("---") || line.equals("...");
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    static void check(Path jar, Path config) throws CliException {
        String text;
        try {
            text = Files.readString(config);
        } catch (CharacterCodingException e) {
            throw CliException.usage("exporter config " + config + " is not UTF-8 text");
        } catch (IOException e) {
            throw CliException.usage("cannot read exporter config " + config + ": " + CliException.firstLine(e));
        }
        if (text.lines().map(String::strip).allMatch(ExporterConfig::saysNothing)) {
            // The exporter reads an empty document as no configuration at all, and exits the JVM over it.
            throw CliException.usage("exporter config " + config + " is empty; it needs at least 'rules:' (see "
                    + "jmx-config/breakwater.yaml)");
        }
        if (REMOTE_ONLY.matcher(text).find()) {
            throw CliException.usage("exporter config " + config + " sets jmxUrl or hostPort, which the exporter "
                    + "refuses (by exiting the JVM) when it runs as an agent");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                InputStream in = Files.newInputStream(config)) {
            loader.loadClass("io.prometheus.jmx.JmxCollector").getConstructor(InputStream.class).newInstance(in);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof ClassCastException ? wrongType(cause.getMessage()) : CliException.firstLine(cause);
            throw CliException.usage("exporter config " + config + " is not valid: " + why);
        } catch (ReflectiveOperationException | IOException | LinkageError e) {
            throw CliException.usage(jar + " does not look like the Prometheus JMX exporter agent ("
                    + CliException.firstLine(e) + ")");
        }
    }

    /**
     * Runs what the exporter's agent does at start-up, in this JVM and an isolated class loader, without the
     * {@code System.exit(1)} it ends with on failure: parse its argument and start its HTTP server with the
     * configuration's {@code httpServer} settings (authentication, TLS, threads) on the real address, then stop it
     * ({@link #check} built its collector). An exporter jar without these classes (another version) is left to the
     * checks already made.
     */
    static void startAndStop(Path jar, String agentArgument, Path config) throws CliException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Method parse = loader.loadClass(Exporter.AGENT_CLASS).getDeclaredMethod("parseConfig", String.class);
            parse.setAccessible(true);
            Object parsed = parse.invoke(null, agentArgument);
            String host = (String) field(parsed, "host");
            int port = (Integer) field(parsed, "port");
            Class<?> registryClass = loader.loadClass(REGISTRY);
            Object registry = registryClass.getConstructor().newInstance();
            Object factory = loader.loadClass(SERVER_FACTORY).getConstructor().newInstance();
            Object server = factory.getClass().getMethod("createHTTPServer", InetAddress.class, int.class, registryClass, File.class)
                    .invoke(factory, InetAddress.getByName(host), port, registry, config.toFile());
            server.getClass().getMethod("close").invoke(server);
        } catch (InvocationTargetException e) {
            throw CliException.usage("the exporter would not start with " + config + " and '" + agentArgument + "': "
                    + CliException.firstLine(e.getCause()));
        } catch (ClassNotFoundException | NoSuchMethodException | NoSuchFieldException e) {
            // Not the exporter version this was written against: its own start-up is not rehearsed.
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            throw CliException.failure("could not rehearse the exporter's start-up: " + CliException.firstLine(e));
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }
}
