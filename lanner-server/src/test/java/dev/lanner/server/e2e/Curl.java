package dev.lanner.server.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code curl} command line client, bounded by {@code --max-time}. */
public final class Curl {

    public record Result(int exitCode, String stdout, String stderr) {
    }

    private Curl() {
    }

    public static boolean isAvailable() {
        try {
            return run("--version").exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code curl --silent --show-error --max-time 10 args...}; stdout and stderr captured. */
    public static Result run(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "10"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        try {
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("curl did not finish: " + command);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
