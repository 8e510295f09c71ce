package dev.lanner.cli.install;

import dev.lanner.cli.CliException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lanner's libraries in the local Maven repository, where projects outside the Lanner tree (those
 * {@code lanner new} creates) resolve them: {@code dev.lanner:<module>:<version>} for each library an
 * application uses and each it depends on in the Lanner build, and the parent pom
 * {@code dev.lanner:lanner-parent} their poms name.
 *
 * <p>{@link #ensureInstalled} installs them from the Lanner checkout with
 * {@code mvn install -DskipTests -pl <modules> -am} when one is missing or older than its module's
 * pom or {@code src/main} (or the root pom), and otherwise says they are up to date.
 *
 * <p>The local repository is {@code -Dmaven.repo.local} given to the CLI's JVM, else one given in
 * {@code MAVEN_OPTS}, else {@code ~/.m2/repository}; a {@code <localRepository>} in Maven's
 * settings.xml is not read.
 */
public final class LannerArtifacts {
    /**
     * The Lanner libraries an application project depends on. What they depend on in the Lanner build
     * is found from the modules' poms, so a new library (lanner-logging) is one entry here.
     */
    static final List<String> APPLICATION_LIBRARIES = List.of("lanner-hosting", "lanner-server", "lanner-logging");

    static final String GROUP_ID = "dev.lanner";
    private static final String REPO_LOCAL_PROPERTY = "maven.repo.local";

    private final Path root;
    private final Path repository;
    private final boolean repositoryGiven;
    private final Path javaHome;

    /**
     * The artifacts of the checkout at {@code lannerRoot} in {@code repository}.
     *
     * @param repositoryGiven whether {@code repository} must be passed to Maven (it is not Maven's default
     *                        and Maven would not find it in {@code MAVEN_OPTS})
     */
    LannerArtifacts(Path lannerRoot, Path repository, boolean repositoryGiven, Path javaHome) {
        this.root = lannerRoot.toAbsolutePath().normalize();
        this.repository = repository.toAbsolutePath().normalize();
        this.repositoryGiven = repositoryGiven;
        this.javaHome = javaHome;
    }

    /**
     * Makes sure the local Maven repository holds Lanner's libraries as built from {@code lannerRoot}:
     * installs them (printing a line first, and Maven's output if it fails) when any is missing or out of
     * date, else prints one line saying they are up to date.
     *
     * @param lannerRoot the Lanner checkout (see {@link LannerRoot#locate()})
     * @param progress   where the lines and Maven's output go (the CLI passes {@code System.err})
     * @throws CliException when Maven cannot be started or the installation fails (one line naming the command)
     */
    public static void ensureInstalled(Path lannerRoot, PrintStream progress) {
        String fromSystem = System.getProperty(REPO_LOCAL_PROPERTY);
        boolean given = fromSystem != null && !fromSystem.isBlank();
        Path repository = localRepository(fromSystem, System.getenv("MAVEN_OPTS"), System.getProperty("user.home"));
        new LannerArtifacts(lannerRoot, repository, given, Path.of(System.getProperty("java.home")))
                .ensureInstalled(progress);
    }

    /** The version of Lanner's artifacts in the checkout at {@code lannerRoot}: its root pom's version. */
    public static String version(Path lannerRoot) {
        Path pom = lannerRoot.resolve("pom.xml");
        return ReactorPom.read(pom).version()
                .orElseThrow(() -> new CliException(pom + " has no <version>; is " + lannerRoot + " a Lanner checkout?"));
    }

    /**
     * The local repository Maven uses: {@code systemProperty} ({@code -Dmaven.repo.local} of this JVM),
     * else a {@code -Dmaven.repo.local=} in {@code mavenOpts}, else {@code <userHome>/.m2/repository}.
     */
    static Path localRepository(String systemProperty, String mavenOpts, String userHome) {
        if (systemProperty != null && !systemProperty.isBlank()) {
            return Path.of(systemProperty);
        }
        if (mavenOpts != null) {
            String prefix = "-D" + REPO_LOCAL_PROPERTY + "=";
            for (String option : mavenOpts.strip().split("\\s+")) {
                if (option.startsWith(prefix) && option.length() > prefix.length()) {
                    return Path.of(option.substring(prefix.length()));
                }
            }
        }
        return Path.of(userHome, ".m2", "repository");
    }

    void ensureInstalled(PrintStream progress) {
        List<String> outdated = outdated();
        if (outdated.isEmpty()) {
            progress.println("lanner: Lanner's libraries in " + repository + " are up to date");
            return;
        }
        boolean firstTime = outdated.stream().allMatch(reason -> reason.endsWith("missing"));
        progress.println(firstTime
                ? "lanner: installing Lanner's libraries to the local Maven repository (first time, about a minute)..."
                : "lanner: updating Lanner's libraries in the local Maven repository (" + String.join(", ", outdated)
                        + "; about a minute)...");
        progress.flush();
        Instant started = Instant.now();
        run(command(), progress);
        markInstalled(started);
    }

    /**
     * The library modules to install: {@link #APPLICATION_LIBRARIES} and every module of the build they
     * depend on (compile or runtime scope), in the order of the root pom's {@code <modules>}.
     */
    List<String> modules() {
        return modules(reactor());
    }

    private List<String> modules(Map<String, ReactorPom> reactor) {
        Set<String> needed = new LinkedHashSet<>();
        Deque<String> toVisit = new ArrayDeque<>(APPLICATION_LIBRARIES);
        while (!toVisit.isEmpty()) {
            String artifactId = toVisit.pop();
            ReactorPom pom = reactor.get(artifactId);
            if (pom == null) {
                throw new CliException("the Lanner build at " + root + " has no module " + artifactId
                        + "; update the CLI (rebuild it with ./lanner)");
            }
            if (needed.add(artifactId)) {
                pom.dependencies().stream()
                        .filter(d -> d.groupId().equals(GROUP_ID) && d.isTransitive())
                        .forEach(d -> toVisit.push(d.artifactId()));
            }
        }
        return reactor.keySet().stream().filter(needed::contains).toList();
    }

    /**
     * What is missing or out of date, e.g. {@code lanner-http missing} or {@code lanner-hosting changed};
     * empty when everything is installed and newer than its sources.
     */
    List<String> outdated() {
        String version = version(root);
        List<String> reasons = new ArrayList<>();
        Path rootPom = root.resolve("pom.xml");
        check(LannerRoot.PARENT_ARTIFACT_ID, List.of(installed(LannerRoot.PARENT_ARTIFACT_ID, version, "pom")),
                lastModified(Stream.of(rootPom)), reasons);
        Map<String, ReactorPom> reactor = reactor();
        for (String module : modules(reactor)) {
            Path directory = reactor.get(module).path().getParent();
            long sources;
            try (Stream<Path> files = Files.walk(directory.resolve("src/main"))) {
                sources = lastModified(Stream.concat(Stream.of(rootPom, directory.resolve("pom.xml")), files));
            } catch (IOException e) {
                sources = lastModified(Stream.of(rootPom, directory.resolve("pom.xml")));
            }
            check(module, List.of(installed(module, version, "pom"), installed(module, version, "jar")), sources, reasons);
        }
        return reasons;
    }

    /** The Maven command that installs {@link #modules()} and what they need from the build (the parent pom). */
    List<String> command() {
        List<String> command = new ArrayList<>();
        Path wrapper = root.resolve(isWindows() ? "mvnw.cmd" : "mvnw");
        command.add(Files.isExecutable(wrapper) ? wrapper.toString() : isWindows() ? "mvn.cmd" : "mvn");
        command.addAll(List.of("-q", "-B", "-ntp", "-Dstyle.color=never", "install", "-DskipTests"));
        if (repositoryGiven) {
            command.add("-D" + REPO_LOCAL_PROPERTY + "=" + repository);
        }
        command.addAll(List.of("-pl", String.join(",", modules()), "-am"));
        return command;
    }

    Path repository() {
        return repository;
    }

    private Path installed(String artifactId, String version, String extension) {
        return repository.resolve(GROUP_ID.replace('.', '/')).resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + "." + extension);
    }

    private static void check(String artifactId, List<Path> files, long sourcesModified, List<String> reasons) {
        if (!files.stream().allMatch(Files::isRegularFile)) {
            reasons.add(artifactId + " missing");
        } else if (files.stream().anyMatch(file -> modified(file) < sourcesModified)) {
            reasons.add(artifactId + " changed");
        }
    }

    /**
     * Dates the installed files at the start of the installation. Maven keeps a file's own date when it
     * installs it (a pom is as old as its source), so without this an artifact whose sources changed
     * without changing it would look out of date for ever.
     */
    private void markInstalled(Instant started) {
        String version = version(root);
        List<Path> files = new ArrayList<>();
        files.add(installed(LannerRoot.PARENT_ARTIFACT_ID, version, "pom"));
        for (String module : modules()) {
            files.add(installed(module, version, "pom"));
            files.add(installed(module, version, "jar"));
        }
        for (Path file : files) {
            try {
                Files.setLastModifiedTime(file, FileTime.from(started));
            } catch (IOException e) {
                throw new CliException("Maven did not install " + file + " (" + e.getMessage() + "); run "
                        + String.join(" ", command()) + " in " + root + " and check its output");
            }
        }
    }

    private void run(List<String> command, PrintStream progress) {
        var builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        // The libraries are compiled by the JDK that runs lanner (and the applications).
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("MAVEN_OPTS", mavenOpts(builder.environment().get("MAVEN_OPTS")));
        String described = String.join(" ", command) + " in " + root;
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CliException("cannot start Maven (" + command.getFirst() + "): " + e.getMessage()
                    + "; install Maven or put it on PATH");
        }
        // Maven is quiet (-q), but still prints colour resets and JVM warnings: shown only when it fails.
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (InputStream in = process.getInputStream()) {
            in.transferTo(output);
            exitCode = process.waitFor();
        } catch (IOException e) {
            stop(process);
            throw new CliException("cannot read Maven's output (" + described + "): " + e.getMessage());
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new CliException("installing Lanner's libraries was interrupted (" + described + ")");
        }
        if (exitCode != 0) {
            progress.print(output.toString(StandardCharsets.UTF_8));
            progress.flush();
            throw new CliException("installing Lanner's libraries failed (" + described + " exited with " + exitCode
                    + "); fix what Maven reports above and run that command again");
        }
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    /** Maven 3.8/3.9 call sun.misc.Unsafe, which JDK 24+ warns about on every run (as scripts/lib/java.sh says). */
    private String mavenOpts(String current) {
        String opts = current == null ? "" : current.strip();
        if (Runtime.version().feature() >= 23 && !opts.contains("--sun-misc-unsafe-memory-access")) {
            opts = (opts.isEmpty() ? "" : opts + " ") + "--sun-misc-unsafe-memory-access=allow";
        }
        return opts;
    }

    /** The modules of the Lanner build by artifactId, in the root pom's order. */
    private Map<String, ReactorPom> reactor() {
        Map<String, ReactorPom> reactor = new LinkedHashMap<>();
        for (String module : ReactorPom.read(root.resolve("pom.xml")).modules()) {
            Path pom = root.resolve(module).resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                ReactorPom read = ReactorPom.read(pom);
                reactor.put(read.artifactId(), read);
            }
        }
        return reactor;
    }

    private static long lastModified(Stream<Path> files) {
        return files.mapToLong(LannerArtifacts::modified).max().orElse(0);
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
