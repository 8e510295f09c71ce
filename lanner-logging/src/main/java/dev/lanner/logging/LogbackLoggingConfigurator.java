package dev.lanner.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.lanner.hosting.HostEnvironment;
import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.logging.LoggingConfigurator;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from the {@code Logging} section: the root level from {@code Logging:LogLevel:Default},
 * a level per category from {@code Logging:LogLevel:{category}}, and one console appender on standard error
 * in the {@code Logging:Console:Format}. The request log ({@value #REQUEST_LOG}) goes through a
 * {@link BatchingAsyncAppender} that never blocks the request: it queues up to {@value #REQUEST_LOG_QUEUE}
 * lines, writes them in batches from its own thread, and drops a line when the queue is full. When the application carries its own Logback file
 * ({@code logback.xml}, {@code logback-test.xml} or {@code -Dlogback.configurationFile}), that file is the
 * whole configuration and this does nothing.
 */
public final class LogbackLoggingConfigurator implements LoggingConfigurator {

    /** The logger hosting writes the per-request line to. */
    static final String REQUEST_LOG = "dev.lanner.hosting.RequestLog";

    /** Request lines waiting for the console before new ones are dropped. */
    static final int REQUEST_LOG_QUEUE = 8192;

    /**
     * The connection's and the request's ids after the logger name when the line is about them (the MDC keys
     * the server and hosting set): {@code ... dev.lanner.server.Rejections ConnectionId=4E1K:3 - ...}. Each
     * is dropped when absent.
     */
    static final String IDS = "%replace( ConnectionId=%X{ConnectionId}){' ConnectionId=$', ''}"
            + "%replace( RequestId=%X{RequestId}){' RequestId=$', ''}";
    static final String READABLE_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger" + IDS + " - %msg%n";
    /** At Debug and Trace, the thread too: the server's own debug lines are about connections and threads. */
    static final String READABLE_PATTERN_WITH_THREAD = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger" + IDS + " - %msg%n";

    /** Called by {@link java.util.ServiceLoader}. */
    public LogbackLoggingConfigurator() {
    }

    @Override
    public void configure(Configuration configuration, HostEnvironment environment) {
        LoggingSettings settings = LoggingSettings.from(configuration); // validate before changing anything
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && !StartupConsoleConfigurator.hasOwnConfigurationFile(context)) {
            apply(context, settings, StandardErrorStream.INSTANCE);
        }
    }

    /** Replaces the configuration of {@code context} with {@code settings}, writing to {@code console}. */
    static void apply(LoggerContext context, LoggingSettings settings, OutputStream console) {
        context.reset();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(settings.defaultLevel().logback());
        for (Map.Entry<String, LogLevel> category : settings.categories().entrySet()) {
            context.getLogger(category.getKey()).setLevel(category.getValue().logback());
        }
        root.addAppender(console(context, "console", settings, console));

        BatchingAsyncAppender requestLog = new BatchingAsyncAppender(REQUEST_LOG_QUEUE, encoder(context, settings), console);
        requestLog.setContext(context);
        requestLog.setName("requestLog");
        requestLog.start();
        Logger requestLogger = context.getLogger(REQUEST_LOG);
        requestLogger.setAdditive(false);
        requestLogger.addAppender(requestLog);
    }

    private static OutputStreamAppender<ILoggingEvent> console(LoggerContext context, String name,
                                                               LoggingSettings settings, OutputStream out) {
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder(context, settings));
        appender.setOutputStream(out);
        appender.start();
        return appender;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, LoggingSettings settings) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setLayout(layout(context, settings));
        encoder.start();
        return encoder;
    }

    private static Layout<ILoggingEvent> layout(LoggerContext context, LoggingSettings settings) {
        Layout<ILoggingEvent> layout;
        if (settings.format() == ConsoleFormat.JSON) {
            layout = new JsonLineLayout();
        } else {
            PatternLayout pattern = new PatternLayout();
            pattern.setPattern(settings.defaultLevel().compareTo(LogLevel.DEBUG) <= 0
                    ? READABLE_PATTERN_WITH_THREAD : READABLE_PATTERN);
            layout = pattern;
        }
        layout.setContext(context);
        layout.start();
        return layout;
    }
}
