package dev.lanner.module.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanner.module.site.ApplicationEntry;
import dev.lanner.module.site.Binding;
import dev.lanner.module.site.Site;
import dev.lanner.module.site.SiteFile;
import dev.lanner.module.site.SiteFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz target {@code site-file}: the module's site-file loader ({@link SiteFile}). Input: the
 * {@code site.json} file.
 *
 * <p>Invariants: only {@link SiteFileException} escapes, with a one-line message that starts with
 * the file and names the key it concerns (line breaks folded); a loaded site keeps every rule the loader documents (at
 * least one binding and one application, unique binding addresses, names and mounts, normalized
 * mount paths, lower-case hosts, time limits and counts in their ranges, absolute paths); and
 * loading the same file again gives an equal site.
 */
class SiteFileFuzzTest {

    private static final Path FILE = createFile();

    @FuzzTest
    void siteFile(byte[] input) throws IOException, SiteFileException {
        Files.write(FILE, input);
        Site site;
        try {
            site = SiteFile.load(FILE, Map.of());
        } catch (SiteFileException e) {
            assertThat(e.getMessage()).startsWith(FILE.toString()).doesNotContain("\n", "\r");
            if (e.key() != null) {
                // The message is one line: a line break in a key shows as a space.
                assertThat(e.getMessage()).contains(e.key().replaceAll("\\s*\\R\\s*", " "));
            }
            return;
        }
        assertThat(site.file()).isAbsolute();
        assertThat(site.environment()).isNotBlank();
        assertThat(site.bindings()).isNotEmpty();
        assertThat(site.applications()).isNotEmpty();
        for (Binding binding : site.bindings()) {
            assertThat(binding.url()).containsPattern("^\\s*(?i:https?)://");
        }
        Set<String> names = new HashSet<>();
        Set<String> mounts = new HashSet<>();
        for (ApplicationEntry application : site.applications()) {
            assertThat(names.add(application.name().toLowerCase(Locale.ROOT))).as("unique name").isTrue();
            assertThat(mounts.add(application.host() + " " + application.path().toLowerCase(Locale.ROOT)))
                    .as("unique mount").isTrue();
            assertThat(application.name()).isNotBlank();
            assertThat(application.path()).matches("/|(/[^/?#\\\\\\s]+)+").doesNotContain("/./", "/../")
                    .doesNotEndWith("/.").doesNotEndWith("/..");
            if (application.host() != null) {
                assertThat(application.host()).isEqualTo(application.host().toLowerCase(Locale.ROOT));
            }
            assertThat(application.directory()).isAbsolute();
            assertThat(application.stdoutLogFile()).isAbsolute();
            assertThat(application.startupTimeLimit()).isPositive();
            assertThat(application.requestTimeout()).isPositive();
            assertThat(application.shutdownTimeLimit().isNegative()).isFalse();
            assertThat(application.rapidFailsPerMinute()).isPositive();
            assertThat(application.processesPerApplication()).isBetween(1, 100);
            assertThat(application.jar() == null || application.classPath().isEmpty()).isTrue();
            assertThat(site.route(application.host(), application.path())).isPresent();
        }
        assertThat(SiteFile.load(FILE, Map.of())).isEqualTo(site);
    }

    private static Path createFile() {
        try {
            Path folder = Files.createTempDirectory("lanner-fuzz-site");
            folder.toFile().deleteOnExit();
            Path file = folder.resolve("site.json");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
