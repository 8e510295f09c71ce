package dev.lanner.module;

import dev.lanner.module.site.SiteFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code lanner module site.json [--Key=Value...]}: runs the module for a site file until SIGTERM or
 * Ctrl+C. Extra {@code --Key=Value} arguments configure the front server (e.g.
 * {@code --Hosting:RequestLog=false}). A bad site file ends the process with status 1 after one line.
 */
public final class ModuleMain {

    private ModuleMain() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args[0].startsWith("-")) {
            System.err.println("usage: lanner module <site.json> [--Key=Value...]");
            System.exit(2);
        }
        Path siteFile = Path.of(args[0]);
        if (!Files.isRegularFile(siteFile)) {
            System.err.println("lanner module: site file not found: " + siteFile.toAbsolutePath());
            System.exit(1);
        }
        ModuleHost module;
        try {
            module = ModuleHost.create(siteFile, System.getenv(), true, Arrays.copyOfRange(args, 1, args.length));
        } catch (SiteFileException e) {
            System.err.println("lanner module: " + e.getMessage());
            System.exit(1);
            return;
        }
        module.run();
    }
}
