package dev.lanner.server.internal.infrastructure;

import java.io.IOException;

/** For tests of other packages: the calling thread's nice value, read as {@link ThreadNiceness} reads it. */
public final class ThreadNicenessProbe {

    private ThreadNicenessProbe() {}

    public static boolean available() {
        return ThreadNiceness.supported();
    }

    public static int currentThreadNice() throws IOException {
        return ThreadNiceness.niceOf(ThreadNiceness.currentThreadId());
    }
}
