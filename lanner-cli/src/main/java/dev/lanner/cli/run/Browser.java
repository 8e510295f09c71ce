package dev.lanner.cli.run;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.util.List;

/** {@code launchBrowser}: opens the application's first address once it answers. */
final class Browser {

    private static final long WAIT_MILLIS = 60_000;

    private Browser() {
    }

    /** In the background: waits (at most a minute) for {@code url} to answer, then opens it with the desktop's opener. */
    static void openWhenAnswering(String url) {
        Thread.ofPlatform().daemon().name("lanner-launch-browser").start(() -> {
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (System.currentTimeMillis() < deadline) {
                if (answers(url)) {
                    open(url);
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static boolean answers(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2_000);
            connection.getResponseCode();
            connection.disconnect();
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void open(String url) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        List<String> command = os.contains("mac") ? List.of("open", url)
                : os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", url)
                : List.of("xdg-open", url);
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            System.err.println("lanner: launchBrowser: open " + url + " in a browser (" + command.get(0) + " is not available)");
        }
    }
}
