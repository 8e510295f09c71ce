package dev.lanner.cli.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The JDK's ahead-of-time cache (JEP 483/514/515, JDK 25) for a Release run: a training run
 * ({@code Hosting:TrainingRun}) under {@code -XX:AOTCacheOutput} makes it once per build of the jars, and
 * every start then runs with {@code -XX:AOTCache}, skipping the class loading, linking and profiling the
 * training run recorded. The cache needs a class path of jars, so a Debug run (classes directories) has
 * none; neither has a JDK older than 25, nor a run whose training failed (the reason is in the log).
 */
final class AheadOfTimeCache {
    static final int FIRST_JDK = 25;
    private static final long TRAINING_TIMEOUT_SECONDS = 120;
    private static final Pattern PORT = Pattern.compile(":\\d+(?=/|;|$)");

    private AheadOfTimeCache() {
    }

    /**
     * The cache for {@code command} in {@code directory}, made by a training run first if no cache there
     * matches the command's jars, JDK and options; empty when there can be none.
     */
    static Optional<Path> prepare(ApplicationCommand command, Map<String, String> environment, Path workingDirectory,
                                  Path directory) {
        if (Runtime.version().feature() < FIRST_JDK
                || !command.classPath().entries().stream().allMatch(entry -> entry.toString().endsWith(".jar"))) {
            return Optional.empty();
        }
        Path cache = directory.resolve(key(command) + ".aot");
        if (Files.isRegularFile(cache)) {
            return Optional.of(cache);
        }
        try {
            Files.createDirectories(directory);
            deleteOldCaches(directory);
            System.err.println("lanner: training run for the JDK's AOT cache (once per build)...");
            long start = System.nanoTime();
            Path log = directory.resolve("training.log");
            ProcessBuilder builder = new ProcessBuilder(trainingCommand(command, cache).toList())
                    .directory(workingDirectory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process training = builder.start();
            training.getOutputStream().close();
            if (!training.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                training.destroyForcibly().waitFor();
                System.err.println("lanner: the training run did not end within " + TRAINING_TIMEOUT_SECONDS
                        + " s (see " + log + "); running without an AOT cache");
                return Optional.empty();
            }
            if (training.exitValue() != 0 || !Files.isRegularFile(cache)) {
                System.err.println("lanner: the training run failed with status " + training.exitValue() + " (see "
                        + log + "); running without an AOT cache");
                Files.deleteIfExists(cache);
                return Optional.empty();
            }
            System.err.printf("lanner: AOT cache made in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, cache);
            return Optional.of(cache);
        } catch (IOException e) {
            System.err.println("lanner: cannot make an AOT cache in " + directory + ": " + e.getMessage()
                    + "; running without one");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The training run: the same command, recording a cache, asked to exercise itself and stop, on the same
     * kinds of addresses with free ports (so that it never collides with a running instance).
     */
    static ApplicationCommand trainingCommand(ApplicationCommand command, Path cache) {
        List<String> jvmOptions = new ArrayList<>(command.jvmOptions());
        jvmOptions.add("-XX:AOTCacheOutput=" + cache);
        List<String> arguments = new ArrayList<>();
        for (String argument : command.arguments()) {
            arguments.add(argument.startsWith("--urls=") ? PORT.matcher(argument).replaceAll(":0") : argument);
        }
        arguments.add("--Hosting:TrainingRun=true");
        return new ApplicationCommand(command.java(), command.systemProperties(), command.classPath(),
                command.mainClass(), arguments, jvmOptions);
    }

    /** A digest of what a cache depends on: the JDK, the JVM options, and each jar's path, size and time. */
    static String key(ApplicationCommand command) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            StringBuilder text = new StringBuilder(Runtime.version().toString()).append('\n')
                    .append(command.java()).append('\n').append(command.jvmOptions()).append('\n');
            for (Path entry : command.classPath().entries()) {
                text.append(entry).append(' ');
                if (Files.exists(entry)) {
                    text.append(Files.size(entry)).append(' ').append(Files.getLastModifiedTime(entry).toMillis());
                }
                text.append('\n');
            }
            return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot fingerprint the class path: " + e.getMessage(), e);
        }
    }

    private static void deleteOldCaches(Path directory) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(directory, "*.aot")) {
            for (Path cache : old) {
                Files.deleteIfExists(cache);
            }
        }
    }
}
