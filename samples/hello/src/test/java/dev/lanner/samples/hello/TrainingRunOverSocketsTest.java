package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code Hosting:TrainingRun}: run() requests the training paths on the application's own addresses, then stops. */
@Timeout(60)
class TrainingRunOverSocketsTest {

    @TempDir
    Path root;

    @Test
    void aTrainingRunRequestsEachPathTwentyTimesOnEachAddressThenReturns() {
        WebApplication app = WebApplication.builder(WebApplicationOptions.isolated(root,
                "--Server:Endpoints:A:Url=http://127.0.0.1:0", "--Server:Endpoints:B:Url=http://127.0.0.1:0",
                "--Hosting:RequestLog=false", "--Hosting:TrainingRun=true",
                "--Hosting:TrainingPaths=/one; /two ;")).build();
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        for (String path : List.of("/one", "/two")) {
            app.mapGet(path, ctx -> {
                served.computeIfAbsent(path + " " + ctx.connection().localPort(), key -> new AtomicInteger())
                        .incrementAndGet();
                ctx.response().write("ok");
            });
        }

        app.run(); // returns by itself: the training run stops the application

        assertThat(served).hasSize(4);
        assertThat(served.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(20));
        assertThat(app.lifetime().applicationStopped().isAborted()).isTrue();
    }
}
