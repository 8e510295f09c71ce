package dev.lanner.logging;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configuration, before Lanner configuration is read: the readable console on standard
 * error at Information, which is what {@link LogbackLoggingConfigurator} applies without settings. Without it
 * Logback would log at Debug to standard output until the host starts. An application's own Logback file
 * wins: then this lets Logback read it, and Lanner's settings are not applied.
 */
public final class StartupConsoleConfigurator extends ContextAwareBase implements Configurator {

    /** Marks a context that an application's own Logback file configured. */
    private static final String OWN_FILE = "dev.lanner.logging.ownConfigurationFile";

    /** Called by {@link java.util.ServiceLoader}. */
    public StartupConsoleConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (ownConfigurationFile()) {
            context.putObject(OWN_FILE, Boolean.TRUE);
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogbackLoggingConfigurator.apply(context, LoggingSettings.DEFAULTS, StandardErrorStream.INSTANCE);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static boolean hasOwnConfigurationFile(LoggerContext context) {
        return context.getObject(OWN_FILE) != null;
    }

    private static boolean ownConfigurationFile() {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return true;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = StartupConsoleConfigurator.class.getClassLoader();
        }
        return loader.getResource(ClassicConstants.AUTOCONFIG_FILE) != null
                || loader.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null;
    }
}
