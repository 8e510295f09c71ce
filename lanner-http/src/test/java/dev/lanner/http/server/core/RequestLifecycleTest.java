package dev.lanner.http.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
import dev.lanner.http.server.HttpApplication;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLifecycleTest {

    /** Records what the lifecycle asks of the protocol. */
    private static final class RecordingExchange implements ServerExchange {
        final List<String> events = new ArrayList<>();
        final ResponseCallbacks callbacks = new ResponseCallbacks();
        boolean started;
        boolean aborted;
        boolean failComplete;
        int status = 200;
        final List<String> logs = new ArrayList<>();

        @Override public FeatureCollection features() { return new Features(); }
        @Override public boolean hasStarted() { return started; }
        @Override public boolean isAborted() { return aborted; }
        @Override public ResponseCallbacks callbacks() { return callbacks; }
        @Override public void completeResponse() throws IOException {
            events.add("complete " + status);
            if (failComplete) {
                throw new IOException("broken pipe");
            }
        }
        @Override public void resetResponseForError(int status) {
            this.status = status;
            events.add("reset " + status);
        }
        @Override public void abortAfterFailure(String reason) { events.add("abort"); }
        @Override public void applicationFinished(Throwable failure) {
            events.add("finished " + (failure == null ? "ok" : failure.getClass().getSimpleName()));
        }
        @Override public void log(System.Logger.Level level, String message, Throwable failure) {
            logs.add(level + (failure == null ? "" : " with stack trace"));
        }
        @Override public String describe() { return "test exchange"; }
    }

    private interface Body {
        void run(RecordingExchange exchange) throws Exception;
    }

    private static HttpApplication<String> app(RecordingExchange exchange, List<String> events, Body body) {
        return new HttpApplication<>() {
            @Override public String createContext(FeatureCollection features) {
                events.add("create");
                return "ctx";
            }
            @Override public void processRequest(String context) throws Exception {
                body.run(exchange);
            }
            @Override public void disposeContext(String context, Throwable failure) {
                events.add("dispose " + (failure == null ? "ok" : failure.getClass().getSimpleName()));
            }
        };
    }

    @Test
    void aSuccessfulRequestCompletesThenFiresCallbacksLastFirstThenDisposes() {
        RecordingExchange exchange = new RecordingExchange();
        exchange.callbacks.onCompleted(() -> exchange.events.add("callback 1"));
        exchange.callbacks.onCompleted(() -> exchange.events.add("callback 2"));
        var outcome = RequestLifecycle.run(app(exchange, exchange.events, e -> { }), exchange);
        assertThat(outcome).isEqualTo(RequestLifecycle.Outcome.COMPLETED);
        assertThat(exchange.events).containsExactly("create", "complete 200", "finished ok", "callback 2", "callback 1", "dispose ok");
    }

    @Test
    void aFailureBeforeTheHeadBecomesA500() {
        RecordingExchange exchange = new RecordingExchange();
        var outcome = RequestLifecycle.run(app(exchange, exchange.events, e -> {
            throw new IllegalStateException("bug");
        }), exchange);
        assertThat(outcome).isEqualTo(RequestLifecycle.Outcome.ERROR_RESPONSE);
        assertThat(exchange.events).containsExactly("create", "reset 500", "complete 500",
                "finished IllegalStateException", "dispose IllegalStateException");
    }

    @Test
    void aBadRequestAnswersItsOwnStatus() {
        RecordingExchange exchange = new RecordingExchange();
        var outcome = RequestLifecycle.run(app(exchange, exchange.events, e -> {
            throw new BadHttpRequestException("too large", 413);
        }), exchange);
        assertThat(outcome).isEqualTo(RequestLifecycle.Outcome.BAD_REQUEST);
        assertThat(exchange.events).contains("reset 413", "complete 413");
    }

    @Test
    void aFailureAfterTheHeadCutsTheExchange() {
        RecordingExchange exchange = new RecordingExchange();
        var outcome = RequestLifecycle.run(app(exchange, exchange.events, e -> {
            e.started = true;
            throw new IllegalStateException("bug");
        }), exchange);
        assertThat(outcome).isEqualTo(RequestLifecycle.Outcome.ABORTED);
        assertThat(exchange.events).containsExactly("create", "abort", "finished IllegalStateException",
                "dispose IllegalStateException");
    }

    @Test
    void aFailureAfterTheHeadIsAnErrorWithItsStackTrace() {
        RecordingExchange exchange = new RecordingExchange();
        RequestLifecycle.run(app(exchange, exchange.events, e -> {
            e.started = true;
            throw new IllegalStateException("bug");
        }), exchange);
        assertThat(exchange.logs).containsExactly("ERROR with stack trace");
    }

    @Test
    void aBadRequestAfterTheHeadCutsTheExchangeAndLogsNoError() {
        // A body below the minimum data rate while the application streams its response (an echo).
        RecordingExchange exchange = new RecordingExchange();
        var outcome = RequestLifecycle.run(app(exchange, exchange.events, e -> {
            e.started = true;
            throw new BadHttpRequestException("Request body data rate below the minimum", 408);
        }), exchange);
        assertThat(outcome).isEqualTo(RequestLifecycle.Outcome.ABORTED);
        assertThat(exchange.events).containsExactly("create", "abort", "finished BadHttpRequestException",
                "dispose BadHttpRequestException");
        assertThat(exchange.logs).containsExactly("DEBUG");
    }

    @Test
    void anAbortedRequestIsNeitherCompletedNorAnswered() {
        RecordingExchange exchange = new RecordingExchange();
        var outcome = RequestLifecycle.run(app(exchange, exchange.events, e -> {
            throw new RequestAbortedException("gone");
        }), exchange);
        assertThat(outcome).isEqualTo(RequestLifecycle.Outcome.ABORTED);
        assertThat(exchange.events).containsExactly("create", "finished RequestAbortedException", "dispose RequestAbortedException");
    }

    @Test
    void anErrorResponseThatCannotBeWrittenCutsTheExchange() {
        RecordingExchange exchange = new RecordingExchange();
        exchange.failComplete = true;
        var outcome = RequestLifecycle.run(app(exchange, exchange.events, e -> {
            throw new IllegalStateException("bug");
        }), exchange);
        assertThat(outcome).isEqualTo(RequestLifecycle.Outcome.ABORTED);
        assertThat(exchange.events).containsSubsequence("reset 500", "complete 500", "abort");
    }

    @Test
    void aFailingCallbackDoesNotStopTheOthersNorTheDispose() {
        RecordingExchange exchange = new RecordingExchange();
        exchange.callbacks.onCompleted(() -> exchange.events.add("callback 1"));
        exchange.callbacks.onCompleted(() -> {
            throw new IllegalStateException("callback bug");
        });
        RequestLifecycle.run(app(exchange, exchange.events, e -> { }), exchange);
        assertThat(exchange.events).containsSubsequence("callback 1", "dispose ok");
    }
}
