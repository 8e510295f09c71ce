package dev.lanner.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingAsyncAppenderTest {

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("dev.lanner.hosting.RequestLog");

    BatchingAsyncAppenderTest() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        logger.setAdditive(false);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private BatchingAsyncAppender appender(int capacity, OutputStream out) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%-5level %msg%n");
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setLayout(layout);
        encoder.start();
        BatchingAsyncAppender appender = new BatchingAsyncAppender(capacity, encoder, out);
        appender.setContext(context);
        appender.setName("test");
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    @Test
    void writesEveryLineInOrderAndStopWritesWhatIsQueued() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BatchingAsyncAppender appender = appender(100, out);
        for (int i = 1; i <= 50; i++) {
            logger.info("line {}", i);
        }
        appender.stop();

        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            expected.append("INFO  line ").append(i).append('\n');
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(appender.dropped()).isZero();
    }

    @Test
    void dropsWhenTheQueueIsFullInsteadOfBlockingAndSaysHowMany() throws InterruptedException {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream slow = new OutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writing.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(b, off, len);
            }
        };
        BatchingAsyncAppender appender = appender(2, slow);

        logger.info("first");
        assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue(); // the worker is stuck writing "first"
        logger.info("second");
        logger.info("third");
        logger.info("fourth"); // the queue holds two: dropped
        logger.info("fifth");
        assertThat(appender.dropped()).isEqualTo(2);
        release.countDown();
        appender.stop();

        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo(
                "INFO  first\nINFO  second\nINFO  third\nWARN  2 log lines dropped: the queue was full\n");
    }
}
