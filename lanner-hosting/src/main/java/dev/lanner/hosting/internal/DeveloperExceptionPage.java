package dev.lanner.hosting.internal;

import dev.lanner.http.HttpContext;
import java.io.PrintWriter;
import java.io.StringWriter;

/** The HTML page shown for an unhandled exception in {@code Development} only: it reveals internals. */
final class DeveloperExceptionPage {

    private DeveloperExceptionPage() {
    }

    static String render(HttpContext context, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        var request = context.request();
        StringBuilder headers = new StringBuilder();
        request.headers().forEach((name, value) ->
                headers.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>"));
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Internal Server Error</title>"
                + "<style>body{font-family:sans-serif;margin:2em}pre{background:#f4f4f4;padding:1em;overflow:auto}"
                + "th{text-align:left;padding-right:1em}</style></head><body>"
                + "<h1>An unhandled exception occurred while processing the request.</h1>"
                + "<h2>" + escape(error.getClass().getName()) + ": " + escape(String.valueOf(error.getMessage())) + "</h2>"
                + "<p>" + escape(request.method()) + " " + escape(request.pathBase() + request.path() + request.queryString())
                + " " + escape(request.protocol()) + "</p>"
                + "<h3>Stack trace</h3><pre>" + escape(trace.toString()) + "</pre>"
                + "<h3>Request headers</h3><table>" + headers + "</table>"
                + "<p>This page is shown because the environment is Development.</p></body></html>";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
