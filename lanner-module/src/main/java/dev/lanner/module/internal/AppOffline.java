package dev.lanner.module.internal;

import dev.lanner.http.HttpContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether {@code app_offline.htm} is in an application's folder, and its content. Looked at most
 * every {@link #CHECK_INTERVAL_NANOS}: a file-system call per request would cost more than the rest
 * of the module's work on a small request.
 */
public final class AppOffline {

    public static final String FILE_NAME = "app_offline.htm";
    static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final byte[] NONE = null;

    private final Path file;
    private volatile long nextCheck;
    private volatile byte[] page;

    public AppOffline(Path directory) {
        this.file = directory.resolve(FILE_NAME);
        this.nextCheck = System.nanoTime(); // due now (nanoTime may be negative: never compare with 0)
    }

    /**
     * While the file exists: runs {@code stop} (the application goes offline), answers the request with
     * the file's content (or {@link #defaultPage()} when it is empty) as {@code 503 offline}, and
     * returns true; otherwise does nothing and returns false.
     */
    public boolean answer(HttpContext context, ErrorPages pages, Runnable stop) throws IOException {
        byte[] content = page();
        if (content == null) {
            return false;
        }
        stop.run();
        pages.writeFile(context, ModuleError.OFFLINE, content.length > 0 ? content : defaultPage());
        return true;
    }

    /** The page served while the file exists but is empty. */
    public static byte[] defaultPage() {
        return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>503 Offline</title></head><body><h1>"
                + "The application is offline</h1></body></html>").getBytes(StandardCharsets.UTF_8);
    }

    /** The file's content while it exists (possibly empty), else {@code null}. */
    public byte[] page() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            nextCheck = now + CHECK_INTERVAL_NANOS;
            try {
                page = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                page = NONE;
            } catch (IOException e) {
                page = Files.exists(file) ? new byte[0] : NONE;
            }
        }
        return page;
    }
}
