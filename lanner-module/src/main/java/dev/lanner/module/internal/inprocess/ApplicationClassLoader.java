package dev.lanner.module.internal.inprocess;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * The class loader of an application hosted in process: its jar and the jars its manifest lists,
 * looked at first, so the application runs on its own libraries whatever the module uses; Lanner's
 * classes (and the SLF4J API they log through) come from the module, so the application's
 * {@code HttpContext} and {@code WebApplication} are the module's own types and requests cross
 * without conversion. Everything else falls back to the platform (the JDK).
 *
 * <p>One loader per start of the application: a recycle drops it, and with it every class the
 * application loaded.
 */
final class ApplicationClassLoader extends URLClassLoader {

    /** Packages that must be the module's: the API the application and the module exchange objects through. */
    private static final List<String> SHARED = List.of("dev.lanner.", "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader module;

    ApplicationClassLoader(String name, URL[] urls, ClassLoader module) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
        this.module = module;
    }

    static boolean shared(String className) {
        for (String prefix : SHARED) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name)) {
            try {
                return module.loadClass(name);
            } catch (ClassNotFoundException notInModule) {
                // A Lanner module the front server does not carry (the platform server, say): the application's copy.
            }
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notInApplication) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public String toString() {
        return "ApplicationClassLoader[" + getName() + "]";
    }
}
