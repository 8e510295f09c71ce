package dev.lanner.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N keep-alive connections to a server, makes one request on each (so each is a real,
 * served HTTP connection), then holds them idle for a while so the server's memory can be
 * measured (docs/performance.md, "idle connections"). Loopback only.
 *
 * <pre>java -cp benchmarks.jar dev.lanner.benchmarks.IdleConnections 127.0.0.1 5000 10000 60</pre>
 *
 * <p>The simple tool. {@link dev.lanner.benchmarks.connections.ConnectionsAtScale} (run by
 * {@code scripts/bench-connections}) does this at scale: HTTP/1.1, h2c and TLS, several source
 * addresses, the server's memory measured, latency on active connections while holding.
 */
public final class IdleConnections {

    private IdleConnections() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int holdSeconds = Integer.parseInt(args[3]);
        if (!host.startsWith("127.") && !host.equals("::1") && !host.equals("localhost")) {
            throw new IllegalArgumentException("loopback only: " + host);
        }
        byte[] request = ("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> open = new ArrayList<>(count);
        ByteBuffer response = ByteBuffer.allocate(4096);
        int served = 0;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress(host, port));
            c.write(ByteBuffer.wrap(request));
            response.clear();
            int n = c.read(response);
            if (n > 12 && new String(response.array(), 0, 12, StandardCharsets.US_ASCII).equals("HTTP/1.1 200")) {
                served++;
            }
            open.add(c);
        }
        System.out.printf("opened %d connections, %d answered 200, in %d ms; holding %d s%n",
                open.size(), served, (System.nanoTime() - start) / 1_000_000, holdSeconds);
        System.out.flush();
        Thread.sleep(holdSeconds * 1000L);
        int stillOpen = 0;
        for (SocketChannel c : open) {
            if (c.isOpen()) {
                stillOpen++;
            }
            c.close();
        }
        System.out.println("closed " + stillOpen + " connections");
    }
}
