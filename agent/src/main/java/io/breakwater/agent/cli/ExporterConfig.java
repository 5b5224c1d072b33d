package io.breakwater.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
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
}
