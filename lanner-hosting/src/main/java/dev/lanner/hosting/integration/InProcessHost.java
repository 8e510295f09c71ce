package dev.lanner.hosting.integration;

import dev.lanner.http.server.HttpApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code lanner-module} gives an application it hosts in process (the ASP.NET Core Module's
 * in-process hosting): the application's {@code main} runs in the module's JVM, in a class loader of
 * its own, and its {@link dev.lanner.hosting.WebApplication} registers with the module instead of
 * binding a socket. The module installs one host per application instance with
 * {@link InProcessHosting#attach}; the application's hosting finds it through the class loader of the
 * thread that builds the application.
 *
 * <p>Requests reach the registered {@link HttpApplication} straight from the module's edge
 * connection: the same features, no socket and no copy, with the application's mount already moved
 * from the path to the path base.
 */
public interface InProcessHost {

    /** The application's name in the site (used in logs). */
    String applicationName();

    /** The application's folder: its content root ({@code appsettings*.json}). */
    Path contentRoot();

    /**
     * The environment the application's configuration reads ({@code LANNER_*} variables become
     * settings): the module's own environment with the site's {@code environmentVariables} on top.
     * The JVM's real environment cannot change, so {@code System.getenv()} does not show these.
     */
    Map<String, String> environmentVariables();

    /** The mount: {@code ""} for the root, else {@code /inproc}-like, no trailing {@code /}. */
    String applicationPath();

    /** The module's public addresses with the mount appended (what the application reports as its URLs). */
    List<String> urls();

    /**
     * The application's server started: from now on the module hands it requests. {@code stop} asks
     * the application to stop gracefully (its {@code ApplicationLifetime.stopApplication}); it returns at once.
     */
    void started(HttpApplication<?> application, Runnable stop);

    /**
     * The application's server is stopping: the module hands it no new request, and waits at most
     * {@code gracePeriod} for the requests in flight; true when none is left.
     */
    boolean stopping(Duration gracePeriod);
}
