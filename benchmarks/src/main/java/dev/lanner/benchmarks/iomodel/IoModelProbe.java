package dev.lanner.benchmarks.iomodel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * The I/O-model experiment behind docs/decisions/001-io-model.md: the same trivial HTTP/1.1
 * responder (counts request heads by their blank line, answers each with a canned
 * {@code Hello, World!}) in two threading models, to measure what the model itself costs per
 * request under wrk on one pinned core, without any HTTP code in the way.
 *
 * <pre>
 * java -cp benchmarks.jar dev.lanner.benchmarks.iomodel.IoModelProbe vthreads 18081
 * java -cp benchmarks.jar dev.lanner.benchmarks.iomodel.IoModelProbe selector 18082
 * </pre>
 */
public final class IoModelProbe {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
            + "Date: Sun, 22 Nov 2026 00:00:00 GMT\r\nServer: Lanner\r\n\r\nHello, World!").getBytes(StandardCharsets.US_ASCII);

    private IoModelProbe() {
    }

    public static void main(String[] args) throws IOException {
        String model = args[0];
        int port = Integer.parseInt(args[1]);
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
        if (model.equals("vthreads")) {
            while (true) {
                SocketChannel c = server.accept();
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Thread.ofVirtual().start(() -> serveBlocking(c));
            }
        } else {
            selectorLoop(server);
        }
    }

    /** Counts CRLFCRLF sequences, carrying the match state across reads. */
    private static final class HeadCounter {
        int state;

        int count(byte[] b, int len) {
            int heads = 0;
            for (int i = 0; i < len; i++) {
                byte x = b[i];
                if (x == '\r') {
                    state = (state == 2) ? 3 : 1;
                } else if (x == '\n') {
                    if (state == 3) {
                        heads++;
                        state = 0;
                    } else {
                        state = (state == 1) ? 2 : 0;
                    }
                } else {
                    state = 0;
                }
            }
            return heads;
        }
    }

    private static void serveBlocking(SocketChannel c) {
        byte[] in = new byte[4096];
        ByteBuffer inBuf = ByteBuffer.wrap(in);
        byte[] out = new byte[RESPONSE.length * 64];
        HeadCounter counter = new HeadCounter();
        try (c) {
            while (true) {
                inBuf.clear();
                int n = c.read(inBuf);
                if (n < 0) {
                    return;
                }
                int heads = counter.count(in, n);
                int len = 0;
                for (int i = 0; i < heads; i++) {
                    if (len + RESPONSE.length > out.length) {
                        writeAll(c, ByteBuffer.wrap(out, 0, len));
                        len = 0;
                    }
                    System.arraycopy(RESPONSE, 0, out, len, RESPONSE.length);
                    len += RESPONSE.length;
                }
                writeAll(c, ByteBuffer.wrap(out, 0, len));
            }
        } catch (IOException e) {
            // client gone
        }
    }

    private static void writeAll(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static void selectorLoop(ServerSocketChannel server) throws IOException {
        Selector selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        byte[] in = new byte[4096];
        ByteBuffer inBuf = ByteBuffer.wrap(in);
        byte[] out = new byte[RESPONSE.length * 64];
        while (true) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                if (key.isAcceptable()) {
                    SocketChannel c;
                    while ((c = server.accept()) != null) {
                        c.configureBlocking(false);
                        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        c.register(selector, SelectionKey.OP_READ, new HeadCounter());
                    }
                    continue;
                }
                SocketChannel c = (SocketChannel) key.channel();
                HeadCounter counter = (HeadCounter) key.attachment();
                try {
                    inBuf.clear();
                    int n = c.read(inBuf);
                    if (n < 0) {
                        key.cancel();
                        c.close();
                        continue;
                    }
                    int heads = counter.count(in, n);
                    int len = 0;
                    for (int i = 0; i < heads; i++) {
                        System.arraycopy(RESPONSE, 0, out, len, RESPONSE.length);
                        len += RESPONSE.length;
                        if (len + RESPONSE.length > out.length) {
                            writeAll(c, ByteBuffer.wrap(out, 0, len));
                            len = 0;
                        }
                    }
                    // The experiment's responses are small: a non-blocking write takes them whole.
                    writeAll(c, ByteBuffer.wrap(out, 0, len));
                } catch (IOException e) {
                    key.cancel();
                    c.close();
                }
            }
        }
    }
}
