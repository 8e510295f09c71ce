package dev.lanner.server.internal.infrastructure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** For tests of other packages: the calling thread's nice value, read as {@link ThreadNiceness} reads it. */
public final class ThreadNicenessProbe {

    private ThreadNicenessProbe() {}

    public static boolean available() {
        return Files.isSymbolicLink(Path.of("/proc/thread-self"))
                && (Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")));
    }

    public static int currentThreadNice() throws IOException {
        return ThreadNiceness.niceOf(ThreadNiceness.currentThreadId());
    }
}
