package dev.lanner.module;

import dev.lanner.hosting.WebApplication;
import java.nio.charset.StandardCharsets;

/**
 * The backend {@link ModuleRecycleUnderLoadTest} hosts: a plain hosted application (module
 * integration comes from hosting through LANNER_PORT / LANNER_TOKEN) whose {@code GET /info}
 * answers {@code pid=<pid> generation=<GENERATION>}, so the test tells processes and generations apart.
 */
public final class RecycleBackend {

    private RecycleBackend() {
    }

    public static void main(String[] args) {
        WebApplication app = WebApplication.builder(args).build();
        byte[] info = ("pid=" + ProcessHandle.current().pid() + " generation=" + System.getenv("GENERATION") + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        // The only handler writes a constant: it never blocks.
        app.setNonBlocking(true);
        app.mapGet("/info", ctx -> {
            ctx.response().setContentType("text/plain");
            ctx.response().setContentLength(info.length);
            ctx.response().write(info);
        });
        app.run();
    }
}
