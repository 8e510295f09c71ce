/**
 * Logback for Lanner applications, configured from Lanner configuration: levels from
 * {@code Logging:LogLevel}, the console format from {@code Logging:Console:Format}, the request log through
 * an asynchronous appender. Hosting finds it as a {@link dev.lanner.hosting.logging.LoggingConfigurator}
 * service; Logback finds its start-up console as a {@link ch.qos.logback.classic.spi.Configurator}. Nothing
 * here is called directly, so no package is exported.
 */
module dev.lanner.logging {
    requires dev.lanner.hosting;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;

    provides dev.lanner.hosting.logging.LoggingConfigurator with dev.lanner.logging.LogbackLoggingConfigurator;
    provides ch.qos.logback.classic.spi.Configurator with dev.lanner.logging.StartupConsoleConfigurator;
}
