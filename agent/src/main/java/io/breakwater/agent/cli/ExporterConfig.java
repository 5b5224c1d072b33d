package io.breakwater.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Checks an exporter configuration with the exporter's own parser, loaded from its jar into an
 * isolated class loader in this JVM: a file the exporter would reject never reaches a target,
 * where the rejection would be {@code System.exit(1)}.
 */
final class ExporterConfig {
    /** Settings for the exporter's standalone mode, on which its agent mode exits the JVM. */
    private static final Pattern REMOTE_ONLY = Pattern.compile("(?m)^\\s*(jmxUrl|hostPort)\\s*:");

    private ExporterConfig() {}

    static void check(Path jar, Path config) throws CliException {
        String text;
        try {
            text = Files.readString(config);
        } catch (IOException e) {
            throw CliException.usage("cannot read exporter config " + config + ": " + CliException.firstLine(e));
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
            // A YAML document that is not a mapping (a plain text file, a list) fails as a ClassCastException inside it.
            String why = cause instanceof ClassCastException ? "it is not a YAML mapping of exporter settings"
                    : CliException.firstLine(cause);
            throw CliException.usage("exporter config " + config + " is not valid: " + why);
        } catch (ReflectiveOperationException | IOException | LinkageError e) {
            throw CliException.usage(jar + " does not look like the Prometheus JMX exporter agent ("
                    + CliException.firstLine(e) + ")");
        }
    }
}
