package io.breakwater.agent.instrument;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;

/**
 * Puts the few classes that inlined advice refers to into the bootstrap class loader, so advice
 * woven into classes of any class loader can see them. Their bytes are read from the agent jar
 * without loading them, and they are injected only once per JVM.
 *
 * <p>They are defined directly in the bootstrap loader where the JVM allows it: appending a jar to
 * the bootstrap class path instead would switch off class-data sharing for the application's
 * classes (slower start-up) and make the JVM print a warning into the host's output. The jar is
 * the fallback.
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
        ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(BootClasses.class.getClassLoader());
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String name : NAMES) {
            classes.put(name, locator.locate(name).resolve());
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

    private static boolean alreadyOnBootstrap() {
        try {
            Class.forName(NAMES[0], false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
