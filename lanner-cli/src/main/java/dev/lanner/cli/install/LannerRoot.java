package dev.lanner.cli.install;

import dev.lanner.cli.CliException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Lanner checkout this CLI was built in (where {@code lanner new} and {@code lanner run} install
 * Lanner's libraries from). As in {@code lanner module}: the CLI's jar is
 * {@code <root>/lanner-cli/target/lanner-cli.jar} (its classes, in the tests,
 * {@code <root>/lanner-cli/target/classes}).
 */
public final class LannerRoot {
    /** The artifactId of the root pom, which the library modules name as their parent. */
    static final String PARENT_ARTIFACT_ID = "lanner-parent";

    private LannerRoot() {
    }

    /** The checkout's root folder, or a {@link CliException} when the CLI runs from elsewhere. */
    public static Path locate() {
        Path location;
        try {
            location = Path.of(LannerRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new CliException("cannot locate the Lanner repository: " + e);
        }
        Path root = location.getParent() == null || location.getParent().getParent() == null
                ? null : location.getParent().getParent().getParent();
        if (root == null || !isLannerRoot(root)) {
            throw new CliException("cannot find Lanner's sources beside " + location + "; run lanner from its repository (./lanner)");
        }
        return root;
    }

    /** Whether {@code directory} holds Lanner's root pom. */
    static boolean isLannerRoot(Path directory) {
        Path pom = directory.resolve("pom.xml");
        return Files.isRegularFile(pom) && ReactorPom.read(pom).artifactId().equals(PARENT_ARTIFACT_ID);
    }
}
