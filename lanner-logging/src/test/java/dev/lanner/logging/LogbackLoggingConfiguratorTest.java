package dev.lanner.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Settings applied to a fresh {@link LoggerContext} that writes to a byte array. */
class LogbackLoggingConfiguratorTest {

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    LogbackLoggingConfiguratorTest() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // as Logback's SLF4J provider does for its own context
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private void apply(LogLevel defaultLevel, Map<String, LogLevel> categories, ConsoleFormat format) {
        LogbackLoggingConfigurator.apply(context, new LoggingSettings(defaultLevel, categories, format), console);
    }

    /** Stops the context, which drains the request log's queue, and returns what was written. */
    private String output() {
        context.stop();
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void setsTheRootLevelAndEachCategoryLevel() {
        apply(LogLevel.WARNING, Map.of("dev.lanner.server", LogLevel.DEBUG, "dev.lanner.platform", LogLevel.NONE),
                ConsoleFormat.SIMPLE);

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("dev.lanner.server.http2.Http2Connection").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("dev.lanner.platform.PlatformServer").getEffectiveLevel()).isEqualTo(Level.OFF);
        assertThat(context.getLogger("dev.lanner.hosting.WebApplication").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void writesReadableLines() {
        apply(LogLevel.INFORMATION, Map.of(), ConsoleFormat.SIMPLE);
        context.getLogger("dev.lanner.hosting.WebApplication").info("Now listening on: {}", "http://127.0.0.1:5000");
        context.getLogger("dev.lanner.hosting.WebApplication").debug("not at Information");

        assertThat(output()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  "
                + "dev\\.lanner\\.hosting\\.WebApplication - Now listening on: http://127\\.0\\.0\\.1:5000\n");
    }

    @Test
    void readableLinesNameTheThreadAtDebug() {
        apply(LogLevel.DEBUG, Map.of(), ConsoleFormat.SIMPLE);
        context.getLogger("dev.lanner.server.Probe").debug("accepted");

        assertThat(output()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} DEBUG \\["
                + Thread.currentThread().getName() + "\\] dev\\.lanner\\.server\\.Probe - accepted\n");
    }

    @Test
    void readableLinesCarryTheConnectionAndRequestIdsWhenTheLineIsAboutThem() {
        apply(LogLevel.INFORMATION, Map.of(), ConsoleFormat.SIMPLE);
        context.getMDCAdapter().put("ConnectionId", "4E1K:3");
        context.getLogger("dev.lanner.server.Rejections").info("about a connection");
        context.getMDCAdapter().put("RequestId", "4E1K:3:00000002");
        context.getLogger("app.Orders").info("about a request");
        context.getMDCAdapter().clear();
        context.getLogger("app.Orders").info("about neither");

        String[] lines = output().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).endsWith(" INFO  dev.lanner.server.Rejections ConnectionId=4E1K:3 - about a connection");
        assertThat(lines[1]).endsWith(" INFO  app.Orders ConnectionId=4E1K:3 RequestId=4E1K:3:00000002 - about a request");
        assertThat(lines[2]).endsWith(" INFO  app.Orders - about neither");
    }

    @Test
    void jsonLinesCarryTheConnectionAndRequestIdsWhenTheLineIsAboutThem() throws Exception {
        apply(LogLevel.INFORMATION, Map.of(), ConsoleFormat.JSON);
        context.getMDCAdapter().put("ConnectionId", "4E1K:3");
        context.getMDCAdapter().put("RequestId", "4E1K:3:00000002");
        context.getLogger("app.Orders").info("about a request");
        context.getMDCAdapter().clear();

        JsonNode line = new ObjectMapper().readTree(output().split("\n")[0]);
        assertThat(line.fieldNames()).toIterable()
                .containsExactly("timestamp", "level", "logger", "thread", "connectionId", "requestId", "message");
        assertThat(line.get("connectionId").asText()).isEqualTo("4E1K:3");
        assertThat(line.get("requestId").asText()).isEqualTo("4E1K:3:00000002");
    }

    @Test
    void writesOneJsonObjectPerLine() throws Exception {
        apply(LogLevel.INFORMATION, Map.of(), ConsoleFormat.JSON);
        context.getLogger("dev.lanner.hosting.WebApplication").info("Now listening on: \"{}\"\tok", "http://x");
        context.getLogger("dev.lanner.hosting.internal.HostingApplication")
                .error("Unhandled exception", new IllegalStateException("boom\nsecond line"));

        String[] lines = output().split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines[0]);
        assertThat(first.fieldNames()).toIterable().containsExactly("timestamp", "level", "logger", "thread", "message");
        assertThat(first.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("logger").asText()).isEqualTo("dev.lanner.hosting.WebApplication");
        assertThat(first.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.get("message").asText()).isEqualTo("Now listening on: \"http://x\"\tok");

        JsonNode second = json.readTree(lines[1]);
        assertThat(second.get("level").asText()).isEqualTo("ERROR");
        assertThat(second.get("message").asText()).isEqualTo("Unhandled exception");
        assertThat(second.get("exception").asText())
                .startsWith("java.lang.IllegalStateException: boom\nsecond line\n\tat dev.lanner.logging.");
    }

    @Test
    void requestLogGoesThroughTheBatchingAsyncAppenderOnly() {
        apply(LogLevel.INFORMATION, Map.of(), ConsoleFormat.SIMPLE);
        ch.qos.logback.classic.Logger requestLog = context.getLogger(LogbackLoggingConfigurator.REQUEST_LOG);

        assertThat(requestLog.isAdditive()).isFalse();
        assertThat(requestLog.getAppender("requestLog")).isInstanceOfSatisfying(BatchingAsyncAppender.class,
                async -> assertThat(async.capacity()).isEqualTo(LogbackLoggingConfigurator.REQUEST_LOG_QUEUE));
        requestLog.info("GET /plaintext HTTP/1.1 200 0.120 ms");
        assertThat(output()).endsWith(" INFO  dev.lanner.hosting.RequestLog - GET /plaintext HTTP/1.1 200 0.120 ms\n")
                .hasLineCount(1);
    }

    @Test
    void requestLogFollowsTheLevels() {
        apply(LogLevel.WARNING, Map.of(), ConsoleFormat.SIMPLE);
        context.getLogger(LogbackLoggingConfigurator.REQUEST_LOG).info("GET / HTTP/1.1 200 0.1 ms");

        assertThat(output()).isEmpty();
    }

    @Test
    void applyingAgainReplacesThePreviousConfiguration() {
        apply(LogLevel.DEBUG, Map.of("dev.lanner.server", LogLevel.TRACE), ConsoleFormat.JSON);
        apply(LogLevel.INFORMATION, Map.of(), ConsoleFormat.SIMPLE);
        context.getLogger("a.B").info("once");

        assertThat(context.getLogger("dev.lanner.server").getLevel()).isNull();
        assertThat(output()).endsWith(" INFO  a.B - once\n").hasLineCount(1);
    }
}
