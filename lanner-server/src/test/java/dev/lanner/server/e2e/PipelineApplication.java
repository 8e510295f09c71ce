package dev.lanner.server.e2e;

import dev.lanner.http.ApplicationBuilder;
import dev.lanner.http.HttpContext;
import dev.lanner.http.RequestDelegate;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.server.HttpApplication;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The smallest {@link HttpApplication} over the contract (what hosting does, without hosting): one
 * {@link HttpContext} per request, a {@link RequestDelegate} run on it. Failures the server reports
 * to {@link #disposeContext} are kept for assertions.
 */
public final class PipelineApplication implements HttpApplication<HttpContext> {

    private final RequestDelegate pipeline;
    private final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();

    public PipelineApplication(RequestDelegate pipeline) {
        this.pipeline = pipeline;
    }

    /** An application composed with {@link ApplicationBuilder} ({@code use}, {@code map}, {@code run}). */
    public static PipelineApplication build(Consumer<ApplicationBuilder> configure) {
        ApplicationBuilder builder = new ApplicationBuilder(null);
        configure.accept(builder);
        return new PipelineApplication(builder.build());
    }

    /** Errors passed to {@link #disposeContext}, oldest first. */
    public BlockingQueue<Throwable> failures() {
        return failures;
    }

    /**
     * Inline execution on the event loop when the suite runs with {@code -Dlanner.test.nonBlocking=true}
     * (only suites whose handlers never block run that way).
     */
    @Override
    public boolean isNonBlocking() {
        return Boolean.getBoolean("lanner.test.nonBlocking");
    }

    @Override
    public HttpContext createContext(FeatureCollection features) {
        return new HttpContext(features);
    }

    @Override
    public void processRequest(HttpContext context) throws Exception {
        pipeline.invoke(context);
    }

    @Override
    public void disposeContext(HttpContext context, Throwable error) {
        if (error != null) {
            failures.add(error);
        }
    }
}
