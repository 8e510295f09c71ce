package dev.lanner.benchmarks.soak;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * The loop every well-behaved client runs: open a connection, then exchange requests at its pace
 * until the run ends; a failure is counted as an error of this client's kind (by reason) and the
 * client reconnects after a short pause. Subclasses say how to open, exchange and close.
 */
abstract class WellBehavedClient implements Runnable {

    /** A response that was not the one expected (status or body). */
    static final class ResponseMismatch extends IOException {
        ResponseMismatch(String reason) {
            super(reason);
        }
    }

    protected final String kind;
    protected final SoakControl control;
    private final Pacer pacer;

    WellBehavedClient(String kind, SoakControl control, double exchangesPerSecond) {
        this.kind = kind;
        this.control = control;
        this.pacer = new Pacer(exchangesPerSecond);
    }

    String kind() {
        return kind;
    }

    @Override
    public final void run() {
        while (control.wellBehavedRunning()) {
            try {
                open();
                while (control.wellBehavedRunning()) {
                    pacer.await();
                    exchange();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!control.wellBehavedRunning()) {
                    return;
                }
                control.counters().error(kind, reason(e));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    return;
                }
            } finally {
                close();
            }
        }
    }

    /** Opens the connection (or whatever the client needs before its first exchange). */
    abstract void open() throws IOException;

    /** One paced exchange: sends its request(s), verifies every response, counts each as served. */
    abstract void exchange() throws IOException, InterruptedException;

    /** Closes the connection; never throws. */
    abstract void close();

    /** The error kind recorded for a failure. */
    static String reason(Throwable e) {
        Throwable cause = e;
        while (cause instanceof java.util.concurrent.ExecutionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return switch (cause) {
            case ResponseMismatch m -> m.getMessage();
            case SocketTimeoutException t -> "timeout (no response in 10 s)";
            case java.net.http.HttpTimeoutException t -> "timeout (no response in 10 s)";
            case EOFException eof -> "closed by server: " + eof.getMessage();
            case SocketException s -> "socket: " + s.getMessage();
            default -> cause.getClass().getSimpleName() + ": " + cause.getMessage();
        };
    }
}
