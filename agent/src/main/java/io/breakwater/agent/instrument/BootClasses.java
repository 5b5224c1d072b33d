package io.breakwater.agent.instrument;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.dynamic.loading.ClassInjector;

/**
 * Puts the few classes that inlined advice refers to into the bootstrap class loader, so advice
 * woven into classes of any class loader can see them. Their bytes are read from the agent jar
 * without loading them, and they are injected only once per JVM.
 *
 * <p>They are defined directly in the bootstrap loader where the JVM allows it: appending a jar to
 * the bootstrap class path instead would switch off class-data sharing for the application's
 * classes (slower start-up) and make the JVM print a warning into the host's output. The first way
 * tried is the JDK's internal {@code Unsafe}, reached by {@link BootDefiner} from a class loader
 * of its own: it costs a few classes, where Byte Buddy's {@code UsingUnsafe} generates code first
 * (about 900 classes loaded, 0.5 s of start-up measured on a 2-core machine). Byte Buddy's way and
 * the jar are the fallbacks.
 */
public final class BootClasses {
    static final String[] NAMES = {
        "io.breakwater.agent.boot.Dispatcher",
        "io.breakwater.agent.boot.RedisInterceptor",
        "io.breakwater.agent.boot.OcppInterceptor",
        "io.breakwater.agent.boot.ShortCircuit",
    };

    private BootClasses() {}

    public static synchronized void inject(Instrumentation instrumentation) throws IOException {
        if (alreadyOnBootstrap()) {
            return;
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String name : NAMES) {
            classes.put(name, classFile(name));
        }
        if (defineThroughJdkUnsafe(instrumentation, classes)) {
            return;
        }
        ClassInjector.UsingUnsafe.Factory unsafe = ClassInjector.UsingUnsafe.Factory.resolve(instrumentation);
        if (unsafe.isAvailable()) {
            unsafe.make(null).injectRaw(classes);
            return;
        }
        File folder = Files.createTempDirectory("breakwater-boot").toFile();
        folder.deleteOnExit();
        ClassInjector.UsingInstrumentation.of(folder, ClassInjector.UsingInstrumentation.Target.BOOTSTRAP, instrumentation)
                .injectRaw(classes);
        File[] jars = folder.listFiles();
        if (jars != null) {
            for (File jar : jars) {
                jar.deleteOnExit();
            }
        }
    }

    private static boolean defineThroughJdkUnsafe(Instrumentation instrumentation, Map<String, byte[]> classes) {
        try {
            String definerName = BootDefiner.class.getName();
            byte[] definer = classFile(definerName);
            ClassLoader isolated = new ClassLoader(null) {
                @Override
                protected Class<?> findClass(String name) throws ClassNotFoundException {
                    if (!name.equals(definerName)) {
                        throw new ClassNotFoundException(name);
                    }
                    return defineClass(name, definer, 0, definer.length);
                }
            };
            Class<?> definerClass = isolated.loadClass(definerName);
            Module javaBase = Object.class.getModule();
            instrumentation.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(definerClass.getModule())),
                    Map.of(), Set.of(), Map.of());
            definerClass.getMethod("define", Map.class).invoke(null, classes);
            return alreadyOnBootstrap();
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Read as a resource: Byte Buddy's ClassFileLocator would load a few hundred classes first. */
    private static byte[] classFile(String className) throws IOException {
        String resource = className.replace('.', '/') + ".class";
        try (InputStream in = BootClasses.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not in the agent jar");
            }
            return in.readAllBytes();
        }
    }

    private static boolean alreadyOnBootstrap() {
        try {
            Class.forName(NAMES[0], false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
