package dev.lanner.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestPathsTest {

    @Test
    void decodesPercentEscapesAsUtf8ButKeepsEncodedSlash() {
        assertThat(RequestPaths.decodePath("/a%20b/%C3%A9")).isEqualTo("/a b/é");
        assertThat(RequestPaths.decodePath("/a%2Fb")).isEqualTo("/a%2Fb");
        assertThat(RequestPaths.decodePath("/bad%zz%4")).isEqualTo("/bad%zz%4");
        assertThat(RequestPaths.decodePath("/plain")).isEqualTo("/plain");
    }

    @Test
    void splitsPathAndQueryOfOriginAndAbsoluteForms() {
        assertThat(RequestPaths.pathOf("/p?q=1")).isEqualTo("/p");
        assertThat(RequestPaths.queryOf("/p?q=1")).isEqualTo("?q=1");
        assertThat(RequestPaths.pathOf("http://h:80/x/y?z")).isEqualTo("/x/y");
        assertThat(RequestPaths.pathOf("http://h:80")).isEqualTo("/");
        assertThat(RequestPaths.pathOf("http://h?q")).isEqualTo("/");
        assertThat(RequestPaths.queryOf("/p")).isEmpty();
    }

    @Test
    void queryParametersAreDecodedInOrder() {
        Map<String, List<String>> q = HttpRequest.parseQuery("?a=1&b=x+y&a=%C3%A9&flag&&c=%zz");
        assertThat(q).containsExactly(
                Map.entry("a", List.of("1", "é")),
                Map.entry("b", List.of("x y")),
                Map.entry("flag", List.of("")),
                Map.entry("c", List.of("%zz")));
        assertThat(HttpRequest.parseQuery("")).isEmpty();
    }
}
