package dev.lanner.hosting;

import dev.lanner.hosting.integration.InProcessHost;
import dev.lanner.hosting.integration.InProcessHosting;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a {@link WebApplication} takes its inputs from. {@link #of(String[])} is what a {@code main}
 * uses (process environment, working directory, exit on a start-up failure); tests and hosts that
 * run several applications in one JVM pass their own values, so nothing is read from process-wide state.
 *
 * @param args                  command-line arguments ({@code --key=value} configuration overrides)
 * @param contentRoot           where {@code appsettings*.json} are looked up
 * @param environmentVariables  the environment ({@code LANNER_*} variables become configuration)
 * @param settings              extra in-memory settings, applied above the defaults and below the files
 * @param applicationName       name used in logs
 * @param exitOnStartupFailure  whether {@link WebApplication#run()} ends the process with status 1 on a
 *                              start-up failure after logging one line (true for a {@code main}, false
 *                              when a host runs several applications in one JVM)
 */
public record WebApplicationOptions(String[] args, Path contentRoot, Map<String, String> environmentVariables,
                                    Map<String, String> settings, String applicationName,
                                    boolean exitOnStartupFailure) {

    public WebApplicationOptions {
        args = args == null ? new String[0] : args.clone();
        contentRoot = contentRoot == null ? Path.of("").toAbsolutePath() : contentRoot.toAbsolutePath();
        environmentVariables = environmentVariables == null ? Map.of() : Map.copyOf(environmentVariables);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        applicationName = applicationName == null || applicationName.isBlank() ? "app" : applicationName;
    }

    /**
     * The options of a process's {@code main}: its arguments, environment and working directory. When
     * {@code lanner-module} runs the {@code main} in process, they come from the module instead: the
     * application's folder, the module's environment with the site's variables, the site's name, and a
     * start-up failure is thrown to the module rather than ending the process.
     */
    public static WebApplicationOptions of(String[] args) {
        Optional<InProcessHost> host = InProcessHosting.current();
        if (host.isPresent()) {
            InProcessHost h = host.get();
            return new WebApplicationOptions(args, h.contentRoot(), h.environmentVariables(), Map.of(), h.applicationName(), false);
        }
        return new WebApplicationOptions(args, null, System.getenv(), Map.of(), null, true);
    }

    /** Options isolated from the process: no environment variables, content root {@code contentRoot}. */
    public static WebApplicationOptions isolated(Path contentRoot, String... args) {
        return new WebApplicationOptions(args, contentRoot, Map.of(), Map.of(), null, false);
    }

    public WebApplicationOptions withEnvironmentVariables(Map<String, String> env) {
        return new WebApplicationOptions(args, contentRoot, env, settings, applicationName, exitOnStartupFailure);
    }

    public WebApplicationOptions withSettings(Map<String, String> values) {
        return new WebApplicationOptions(args, contentRoot, environmentVariables, values, applicationName, exitOnStartupFailure);
    }

    public WebApplicationOptions withApplicationName(String name) {
        return new WebApplicationOptions(args, contentRoot, environmentVariables, settings, name, exitOnStartupFailure);
    }
}
