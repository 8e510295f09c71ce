package dev.lanner.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpResponseFeature;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplicationBuilderTest {

    private static HttpContext context(String path) {
        Features features = new Features();
        DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
        request.setPath(path);
        features.set(HttpRequestFeature.class, request);
        features.set(HttpResponseFeature.class, new DefaultHttpResponseFeature());
        return new HttpContext(features);
    }

    @Test
    void middlewareRunsInRegistrationOrderAndUnwindsInReverse() throws Exception {
        List<String> trace = new ArrayList<>();
        ApplicationBuilder app = new ApplicationBuilder(new Features());
        app.use((ctx, next) -> { trace.add("a-in"); next.invoke(ctx); trace.add("a-out"); });
        app.use((ctx, next) -> { trace.add("b-in"); next.invoke(ctx); trace.add("b-out"); });
        app.run(ctx -> trace.add("terminal"));
        app.use((ctx, next) -> trace.add("never"));

        app.build().invoke(context("/"));

        assertThat(trace).containsExactly("a-in", "b-in", "terminal", "b-out", "a-out");
    }

    @Test
    void unhandledRequestGets404() throws Exception {
        ApplicationBuilder app = new ApplicationBuilder(null);
        app.use((ctx, next) -> next.invoke(ctx));
        HttpContext ctx = context("/nothing");
        app.build().invoke(ctx);
        assertThat(ctx.response().statusCode()).isEqualTo(404);
    }

    @Test
    void middlewareCanShortCircuit() throws Exception {
        ApplicationBuilder app = new ApplicationBuilder(null);
        app.use((ctx, next) -> ctx.response().setStatusCode(401));
        app.run(ctx -> ctx.response().setStatusCode(200));
        HttpContext ctx = context("/");
        app.build().invoke(ctx);
        assertThat(ctx.response().statusCode()).isEqualTo(401);
    }

    @Test
    void mapMovesTheMatchedSegmentToPathBaseAndRestoresIt() throws Exception {
        List<String> seen = new ArrayList<>();
        ApplicationBuilder app = new ApplicationBuilder(null);
        app.map("/api", branch -> branch.run(ctx -> {
            seen.add(ctx.request().pathBase() + "|" + ctx.request().path());
            ctx.response().setStatusCode(204);
        }));
        app.use((ctx, next) -> {
            seen.add("main:" + ctx.request().pathBase() + "|" + ctx.request().path());
            next.invoke(ctx);
        });

        HttpContext hit = context("/api/orders/1");
        app.build().invoke(hit);
        HttpContext exact = context("/API");
        app.build().invoke(exact);
        HttpContext miss = context("/apix");
        app.build().invoke(miss);

        assertThat(seen).containsExactly("/api|/orders/1", "/API|", "main:|/apix");
        assertThat(hit.request().pathBase()).isEmpty();
        assertThat(hit.request().path()).isEqualTo("/api/orders/1");
        assertThat(hit.response().statusCode()).isEqualTo(204);
        assertThat(miss.response().statusCode()).isEqualTo(404);
    }

    @Test
    void nestedMapsAccumulatePathBase() throws Exception {
        List<String> seen = new ArrayList<>();
        ApplicationBuilder app = new ApplicationBuilder(null);
        app.map("/a", a -> a.map("/b/c", bc -> bc.run(ctx ->
                seen.add(ctx.request().pathBase() + "|" + ctx.request().path()))));
        app.build().invoke(context("/a/b/c/d"));
        assertThat(seen).containsExactly("/a/b/c|/d");
    }

    @Test
    void mapBranchThatDoesNotHandleGets404WithoutFallingBack() throws Exception {
        ApplicationBuilder app = new ApplicationBuilder(null);
        app.map("/api", branch -> branch.use((ctx, next) -> next.invoke(ctx)));
        app.run(ctx -> ctx.response().setStatusCode(200));
        HttpContext ctx = context("/api/x");
        app.build().invoke(ctx);
        assertThat(ctx.response().statusCode()).isEqualTo(404);
    }

    @Test
    void mapRejectsBadPrefixes() {
        ApplicationBuilder app = new ApplicationBuilder(null);
        assertThatThrownBy(() -> app.map("api", b -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> app.map("/api/", b -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapWhenBranchesOnThePredicate() throws Exception {
        ApplicationBuilder app = new ApplicationBuilder(null);
        app.mapWhen(ctx -> ctx.request().path().endsWith(".txt"), b -> b.run(ctx -> ctx.response().setStatusCode(202)));
        app.run(ctx -> ctx.response().setStatusCode(200));
        HttpContext txt = context("/x.txt");
        HttpContext other = context("/x.html");
        app.build().invoke(txt);
        app.build().invoke(other);
        assertThat(txt.response().statusCode()).isEqualTo(202);
        assertThat(other.response().statusCode()).isEqualTo(200);
    }

    @Test
    void branchesShareServerFeaturesAndProperties() {
        Features server = new Features();
        ApplicationBuilder app = new ApplicationBuilder(server);
        app.properties().put("x", 1);
        ApplicationBuilder branch = app.newBuilder();
        assertThat(branch.serverFeatures()).isSameAs(server);
        assertThat(branch.properties()).containsEntry("x", 1);
    }
}
