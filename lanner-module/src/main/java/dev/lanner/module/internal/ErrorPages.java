package dev.lanner.module.internal;

import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the module's error pages: a short HTML page with the error's title and what the operator
 * can do; the details (exit codes, the process's last output, exception messages) only when the
 * site runs in {@code Development}, as ASP.NET Core's module shows them only when told to.
 */
public final class ErrorPages {

    /** The response field naming the error (see {@link ModuleError#code()}). */
    public static final String ERROR_HEADER = "Lanner-Module-Error";

    private final boolean development;

    public ErrorPages(boolean development) {
        this.development = development;
    }

    public boolean development() {
        return development;
    }

    /** Answers with {@code error}'s page unless the response has begun (then the client's stream is aborted). */
    public void write(HttpContext context, String application, ModuleError error, String detail) throws IOException {
        HttpResponse response = context.response();
        if (response.hasStarted()) {
            context.abort();
            return;
        }
        StringBuilder page = new StringBuilder(512)
                .append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(error.status()).append(' ').append(escape(error.title()))
                .append("</title></head><body><h1>").append(escape(error.title())).append("</h1>")
                .append("<p>Application <code>").append(escape(application)).append("</code>: ")
                .append(escape(advice(error))).append("</p>");
        if (development && detail != null && !detail.isBlank()) {
            page.append("<h2>Details</h2><pre>").append(escape(detail)).append("</pre>");
        } else if (!development) {
            page.append("<p>Details are in the module's log (and shown here when the site's environment is Development).</p>");
        }
        page.append("<p><small>Lanner module, error ").append(error.code()).append("</small></p></body></html>");
        write(response, error, page.toString().getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    /** Answers with {@code body} as the page (app_offline.htm). */
    public void writeFile(HttpContext context, ModuleError error, byte[] body) throws IOException {
        if (context.response().hasStarted()) {
            context.abort();
            return;
        }
        write(context.response(), error, body, "text/html; charset=utf-8");
    }

    private static void write(HttpResponse response, ModuleError error, byte[] body, String contentType) throws IOException {
        response.setStatusCode(error.status());
        response.headers().clear();
        response.setHeader(ERROR_HEADER, error.code());
        response.setHeader("Cache-Control", "no-store");
        if (error == ModuleError.STARTUP_TIME_LIMIT || error == ModuleError.OFFLINE) {
            response.setHeader("Retry-After", "10");
        }
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.write(body);
    }

    private static String advice(ModuleError error) {
        return switch (error) {
            case START_FAILURE -> "it could not be started: out of process, its process could not run or ended before it opened its port "
                    + "(check processPath, arguments and the process's output, stdoutLogEnabled); in process, its main failed or "
                    + "returned without starting a WebApplication (check jar, mainClass and the module's log).";
            case STARTUP_TIME_LIMIT -> "it did not start within startupTimeLimit: out of process, its port did not open (it may still "
                    + "be starting; retry shortly); in process, its main did not start a WebApplication (it stays stopped until the "
                    + "site file changes).";
            case RAPID_FAIL_LIMIT -> "its process failed more than rapidFailsPerMinute times in a minute, so it is not restarted until the site file changes.";
            case CRASHED -> "its process ended while serving this request; the next request starts it again.";
            case BAD_RESPONSE -> "its process answered with an invalid HTTP/1.1 response.";
            case GATEWAY_TIMEOUT -> "its process did not answer within requestTimeout.";
            case OFFLINE -> "app_offline.htm is present in its folder; remove it to bring the application back.";
        };
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
