package dev.lanner.module.internal.outofprocess;

import dev.lanner.module.site.ApplicationEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's ahead-of-time cache (JEP 483/514/515, JDK 25) for an out-of-process application started with
 * {@code java}: restarts, recycles and extra processes start from it. When there is none for the application's
 * command (its arguments and the size and time of each file they name), the first process starts without one
 * and, once it answers, a training run makes one in the background: the same command on a free port with its
 * own token, {@code -XX:AOTCacheOutput} in {@code JDK_JAVA_OPTIONS} and {@code Hosting:TrainingRun}, which
 * makes a Lanner application request its own paths and stop (one that does not stop is killed after a minute).
 * Only for {@code java -jar} or a class path of jars: the JDK makes no cache for classes in folders. Site key
 * {@code aotCache: false} turns it off.
 */
final class ProcessAotCache {
    static final String JAVA_OPTIONS_VARIABLE = "JDK_JAVA_OPTIONS";
    private static final long TRAINING_TIMEOUT_SECONDS = 60;
    private static final Logger log = LoggerFactory.getLogger(ProcessAotCache.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApplicationEntry entry;
    private final Path cache;
    private final AtomicBoolean trainingStarted = new AtomicBoolean();

    /** The cache for {@code command} in {@code directory}; null when the application has none (see {@link #of}). */
    private ProcessAotCache(ApplicationEntry entry, Path cache) {
        this.entry = entry;
        this.cache = cache;
    }

    /** The cache of an application started by {@code command}, or null when it is off or the command is not java. */
    static ProcessAotCache of(ApplicationEntry entry, List<String> command, Path directory) {
        if (!entry.aotCache() || !isJava(command.getFirst()) || !runsJars(command)) {
            return null;
        }
        return new ProcessAotCache(entry, directory.resolve(entry.name() + "-" + key(entry, command) + ".aot"));
    }

    /**
     * Whether the command runs a jar ({@code -jar}) or a class path of jars only ({@code -cp}): the JDK makes no
     * AOT cache for classes in folders.
     */
    static boolean runsJars(List<String> command) {
        for (int i = 1; i < command.size() - 1; i++) {
            String option = command.get(i);
            if (option.equals("-jar")) {
                return true;
            }
            if (option.equals("-cp") || option.equals("-classpath") || option.equals("--class-path")) {
                for (String entry : command.get(i + 1).split(java.io.File.pathSeparator)) {
                    if (!entry.endsWith(".jar")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    static boolean isJava(String program) {
        String name = Path.of(program).getFileName().toString();
        return name.equals("java") || name.equals("java.exe");
    }

    Path file() {
        return cache;
    }

    /** Adds the cache to a start's environment when it exists; returns whether it did. */
    boolean addTo(Map<String, String> environment) {
        if (!Files.isRegularFile(cache)) {
            return false;
        }
        appendJavaOption(environment, "-XX:AOTCache=" + cache);
        return true;
    }

    /** Makes the cache in the background if it does not exist and no training run has been started for it. */
    void trainInBackground(List<String> command, Map<String, String> environment, Path workingDirectory) {
        if (Files.isRegularFile(cache) || !trainingStarted.compareAndSet(false, true)) {
            return;
        }
        Map<String, String> trainingEnvironment = new HashMap<>(environment);
        Thread.ofPlatform().daemon().name("lanner-module-aot-" + entry.name()).start(
                () -> train(command, trainingEnvironment, workingDirectory));
    }

    private void train(List<String> command, Map<String, String> environment, Path workingDirectory) {
        Path partial = cache.resolveSibling(cache.getFileName() + ".part");
        Path output = cache.resolveSibling(cache.getFileName() + ".training.log");
        long start = System.nanoTime();
        try {
            Files.createDirectories(cache.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            builder.environment().put("LANNER_PORT", Integer.toString(OutOfProcessApplication.freeLoopbackPort()));
            byte[] token = new byte[16];
            RANDOM.nextBytes(token);
            builder.environment().put("LANNER_TOKEN", HexFormat.of().formatHex(token));
            builder.environment().put("LANNER_HOSTING__TRAININGRUN", "true");
            appendJavaOption(builder.environment(), "-XX:AOTCacheOutput=" + partial);
            Process training = builder.start();
            if (!training.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                training.destroyForcibly().waitFor();
                log.warn("Application '{}': the AOT training run did not end within {} s (see {}); processes start"
                        + " without an AOT cache", entry.name(), TRAINING_TIMEOUT_SECONDS, output);
                return;
            }
            if (training.exitValue() != 0 || !Files.isRegularFile(partial)) {
                log.warn("Application '{}': the AOT training run ended with code {} and no cache (see {}); processes"
                        + " start without an AOT cache", entry.name(), training.exitValue(), output);
                return;
            }
            Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(output);
            log.info("Application '{}': AOT cache made in {} ms by a training run; later starts use {}", entry.name(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), cache);
        } catch (IOException | StartFailure e) {
            log.warn("Application '{}': no AOT training run: {}", entry.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover part is overwritten by the next training run
            }
        }
    }

    private static void appendJavaOption(Map<String, String> environment, String option) {
        String existing = environment.get(JAVA_OPTIONS_VARIABLE);
        environment.put(JAVA_OPTIONS_VARIABLE, existing == null || existing.isBlank() ? option : existing + " " + option);
    }

    /**
     * What a cache depends on: the command, and the size and time of each file it names (the java launcher, the
     * jar, each entry of a class path), relative names taken from the application's folder.
     */
    static String key(ApplicationEntry entry, List<String> command) {
        StringBuilder text = new StringBuilder();
        for (String argument : command) {
            text.append(argument).append('\n');
            for (String part : argument.split(java.io.File.pathSeparator)) {
                if (part.isEmpty() || part.startsWith("-")) {
                    continue;
                }
                Path file = entry.directory().resolve(part);
                try {
                    if (Files.isRegularFile(file)) {
                        text.append(' ').append(Files.size(file)).append(' ')
                                .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
                    }
                } catch (IOException | RuntimeException e) {
                    // not a file after all: the argument itself is in the key
                }
            }
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
