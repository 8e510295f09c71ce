package dev.lanner.server.internal.http1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test input helpers: Latin-1 bytes and deterministic ways to split them. */
final class TestBytes {

    private TestBytes() {
    }

    /** Each char becomes one byte (ISO-8859-1), so "\u00e9" is the single byte 0xE9. */
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b, int start, int end) {
        return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Piece sizes: all 1. */
    static List<Integer> oneByteAtATime(int length) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            sizes.add(1);
        }
        return sizes;
    }

    /** Piece sizes of 1 to 13 bytes drawn from {@code random}. */
    static List<Integer> randomSplits(int length, Random random) {
        List<Integer> sizes = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int n = Math.min(left, 1 + random.nextInt(13));
            sizes.add(n);
            left -= n;
        }
        return sizes;
    }

    /** The whole-input split, byte-at-a-time and five random splits with a fixed seed. */
    static List<List<Integer>> splitsToCompare(int length) {
        Random random = new Random(20240917L);
        List<List<Integer>> all = new ArrayList<>();
        all.add(oneByteAtATime(length));
        for (int i = 0; i < 5; i++) {
            all.add(randomSplits(length, random));
        }
        return all;
    }
}
