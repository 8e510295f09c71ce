package dev.lanner.http.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSenderTest {

    @TempDir
    Path dir;

    private String send(Path file, long offset, long count) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileSender.send(file, offset, count, out::write);
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void sendsTheRangeOrTheRestOfTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "0123456789");
        assertThat(send(file, 2, 5)).isEqualTo("23456");
        assertThat(send(file, 4, -1)).isEqualTo("456789");
        assertThat(send(file, 10, -1)).isEmpty();
        assertThat(send(file, 0, 0)).isEmpty();
    }

    @Test
    void sendsALargeFileInChunks() throws Exception {
        byte[] bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Path file = Files.write(dir.resolve("big.bin"), bytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileSender.send(file, 1, -1, out::write);
        assertThat(out.toByteArray()).hasSize(99_999).startsWith((byte) 1, (byte) 2);
    }

    @Test
    void refusesARangeReachingPastTheEndBeforeWritingAnything() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "0123456789");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> FileSender.send(file, 5, 6, out::write))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count 6 from offset 5 reaches past the end");
        assertThatThrownBy(() -> FileSender.send(file, 11, -1, out::write))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 11 is outside");
        assertThatThrownBy(() -> FileSender.send(file, -1, 2, out::write)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileSender.send(file, 0, -2, out::write)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.size()).isZero();
    }
}
