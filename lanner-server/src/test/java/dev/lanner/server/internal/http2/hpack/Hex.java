package dev.lanner.server.internal.http2.hpack;

import java.util.HexFormat;

/** Hex conversions for test vectors; spaces are ignored so vectors can be pasted as in RFC 7541. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static String of(HeaderBlockBuffer buffer) {
        return of(buffer.toByteArray());
    }
}
