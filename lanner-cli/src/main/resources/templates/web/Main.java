package {{package}};

import dev.lanner.hosting.WebApplication;
import java.util.stream.Collectors;

/** The {{name}} web application: {@code GET /} and {@code GET /about}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        WebApplication app = WebApplication.builder(args).build();
        configure(app);
        app.run();
    }

    /** Maps the endpoints on {@code app}; the tests call it on an application with an in-memory server. */
    public static void configure(WebApplication app) {
        // The handlers only compute their answer: the server may run them without a thread of their own.
        app.setNonBlocking(true);
        app.mapGet("/", ctx -> {
            ctx.response().setContentType("text/plain; charset=utf-8");
            ctx.response().write("Hello from {{name}}!");
        });
        app.mapGet("/about", ctx -> {
            ctx.response().setContentType("application/json");
            ctx.response().write(about(app));
        });
    }

    /** The environment, the {@code Greeting} setting (appsettings*.json, LANNER_Greeting, --Greeting=...) and the addresses. */
    private static String about(WebApplication app) {
        String urls = app.urls().stream().map(Main::quote).collect(Collectors.joining(", ", "[", "]"));
        return "{\"environment\": " + quote(app.environment().name())
                + ", \"greeting\": " + quote(app.configuration().get("Greeting", "none"))
                + ", \"urls\": " + urls + "}";
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
