package dev.lanner.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanner.http.server.ServerSettings;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.ServerOptionsBinder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fuzz target {@code server-options}: the default server's options read from configuration
 * ({@link ServerOptionsBinder}). Input: {@code key=value} lines, the settings hosting hands over.
 * Certificate keys are left out: they name files to load and watch.
 *
 * <p>Invariants: only {@link IllegalArgumentException} escapes, with a one-line message; and a
 * limit given as a plain whole number is bound to that number.
 */
class ServerOptionsFuzzTest {

    @FuzzTest
    void serverOptions(byte[] input) {
        Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : new String(input, StandardCharsets.ISO_8859_1).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.substring(0, equals).toLowerCase(Locale.ROOT).contains("certificate")) {
                values.put(line.substring(0, equals), line.substring(equals + 1).replace("\\n", "\n"));
            }
        }
        LannerServerOptions options;
        try {
            options = ServerOptionsBinder.bind(ServerSettings.of(values));
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n", "\r");
            return;
        }
        String count = values.get("Server:Limits:MaxRequestHeaderCount");
        if (count != null && count.strip().matches("-?[0-9]{1,9}")) {
            assertThat(options.limits().maxRequestHeaderCount()).isEqualTo(Integer.parseInt(count.strip()));
        }
        String frameSize = values.get("Server:Limits:Http2:MaxFrameSize");
        if (frameSize != null && frameSize.strip().matches("-?[0-9]{1,9}")) {
            assertThat(options.http2().maxFrameSize()).isEqualTo(Integer.parseInt(frameSize.strip()));
        }
        assertThat(options.endpoints()).hasSize((int) values.keySet().stream()
                .filter(k -> k.regionMatches(true, 0, "Server:Endpoints:", 0, 17) && k.indexOf(':', 17) >= 17)
                .map(k -> k.substring(17, k.indexOf(':', 17)).toLowerCase(Locale.ROOT)).distinct().count());
    }
}
