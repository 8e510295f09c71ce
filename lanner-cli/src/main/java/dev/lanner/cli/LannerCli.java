package dev.lanner.cli;

import dev.lanner.cli.run.ModuleCommand;
import dev.lanner.cli.run.RunCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code lanner} command (counterpart of the {@code dotnet} driver). */
@Command(
        name = "lanner",
        mixinStandardHelpOptions = true,
        versionProvider = LannerCli.Version.class,
        description = "Builds and runs Lanner applications.",
        subcommands = {RunCommand.class, ModuleCommand.class, dev.lanner.cli.create.NewCommand.class,
                dev.lanner.cli.certs.DevCertsCommand.class, CommandLine.HelpCommand.class})
public final class LannerCli implements Callable<Integer> {
    /** Exit status for an error reported as one line (missing project, build failure...). */
    public static final int EXIT_ERROR = 1;
    /** Exit status for a command line that could not be parsed. */
    public static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        var commandLine = new CommandLine(new LannerCli());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, cl, parseResult) -> {
            PrintWriter err = cl.getErr();
            if (exception instanceof CliException) {
                err.println("lanner: " + exception.getMessage());
            } else {
                // Not expected: still one line, unless asked for the details.
                err.println("lanner: internal error: " + exception);
                if (System.getenv("LANNER_CLI_DEBUG") != null) {
                    exception.printStackTrace(err);
                }
            }
            err.flush();
            return EXIT_ERROR;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine cl = exception.getCommandLine();
            PrintWriter err = cl.getErr();
            err.println("lanner: " + exception.getMessage());
            err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return EXIT_USAGE;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        // `lanner` alone: say what it can do.
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /** The version written into the jar manifest by the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = LannerCli.class.getPackage().getImplementationVersion();
            return new String[] {"lanner " + (version == null ? "(development build)" : version)};
        }
    }
}
