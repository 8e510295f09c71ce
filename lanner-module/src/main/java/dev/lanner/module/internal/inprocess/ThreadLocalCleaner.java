package dev.lanner.module.internal.inprocess;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what an unloaded application left in the thread locals of the module's own threads (its
 * event loops ran the application's requests): a library that caches in a {@code ThreadLocal}
 * (Jackson's buffer recyclers, for one) leaves a value whose class is the application's on every
 * event loop, and that value keeps the application's class loader, with every class it loaded, in
 * memory. Tomcat clears the same leak the same way.
 *
 * <p>The JDK offers no API for another thread's thread locals, so this reads them reflectively; that
 * needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} on the module's JVM ({@code lanner module}
 * passes it). Without it, the module logs once that unloaded applications may stay in memory. Only
 * entries are touched, never a map's table: the value is dropped and the key cleared, so the owning
 * thread sees a stale entry and drops it itself.
 */
final class ThreadLocalCleaner {

    private static final Logger log = LoggerFactory.getLogger(ThreadLocalCleaner.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final Access ACCESS = Access.open();

    private ThreadLocalCleaner() {
    }

    /** Whether the JVM lets the cleaner read thread locals. */
    static boolean available() {
        return ACCESS != null;
    }

    /**
     * Clears, on every live platform thread, the thread-local entries whose key or value (or the
     * referent of a reference value) belongs to {@code loader}; returns how many.
     */
    static int clear(ClassLoader loader, String application) {
        if (ACCESS == null) {
            if (WARNED.compareAndSet(false, true)) {
                log.warn("The module cannot clear thread-local values that in-process applications leave on its threads, so an "
                        + "unloaded application may stay in memory; start the module's JVM with --add-opens "
                        + "java.base/java.lang=ALL-UNNAMED (lanner module does)");
            }
            return 0;
        }
        int cleared = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            cleared += clear(thread, ACCESS.threadLocals, loader, application);
            cleared += clear(thread, ACCESS.inheritableThreadLocals, loader, application);
        }
        return cleared;
    }

    private static int clear(Thread thread, Field mapField, ClassLoader loader, String application) {
        try {
            Object map = mapField.get(thread);
            if (map == null) {
                return 0;
            }
            Object[] table = (Object[]) ACCESS.table.get(map);
            int cleared = 0;
            for (Object entry : table) {
                if (entry == null) {
                    continue;
                }
                Reference<?> key = (Reference<?>) entry;
                Object threadLocal = key.get();
                Object value = ACCESS.value.get(entry);
                if (belongs(threadLocal, loader) || belongs(value, loader)
                        || (value instanceof Reference<?> reference && belongs(reference.get(), loader))) {
                    log.debug("Application '{}' (in process) left a thread-local value ({}) on thread '{}'; cleared",
                            application, value == null ? "null" : value.getClass().getName(), thread.getName());
                    ACCESS.value.set(entry, null);
                    key.clear();
                    cleared++;
                }
            }
            return cleared;
        } catch (IllegalAccessException | RuntimeException e) {
            log.debug("Cannot read the thread locals of '{}': {}", thread.getName(), e.toString());
            return 0;
        }
    }

    private static boolean belongs(Object object, ClassLoader loader) {
        if (object == null) {
            return false;
        }
        for (ClassLoader l = object.getClass().getClassLoader(); l != null; l = l.getParent()) {
            if (l == loader) {
                return true;
            }
        }
        return false;
    }

    /** The private fields of Thread and ThreadLocal.ThreadLocalMap, or null when java.lang is not open to the module. */
    private record Access(Field threadLocals, Field inheritableThreadLocals, Field table, Field value) {

        static Access open() {
            try {
                Field threadLocals = Thread.class.getDeclaredField("threadLocals");
                Field inheritable = Thread.class.getDeclaredField("inheritableThreadLocals");
                Class<?> mapType = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
                Field table = mapType.getDeclaredField("table");
                Field value = Class.forName("java.lang.ThreadLocal$ThreadLocalMap$Entry").getDeclaredField("value");
                for (Field f : new Field[] {threadLocals, inheritable, table, value}) {
                    f.setAccessible(true);
                }
                return new Access(threadLocals, inheritable, table, value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
