package dev.lanner.server.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where a fuzz target cuts its input into the pieces a connection would receive. The fuzzer
 * chooses the seed, so it explores the cut points; the same seed always gives the same pieces.
 */
final class InputSplits {

    private InputSplits() {
    }

    /**
     * Piece sizes adding up to {@code length}, each at least 1 (none for an empty input). The
     * seed's low bits pick the shape: one byte at a time, small pieces (1 to 16 bytes), or pieces
     * of any size.
     */
    static List<Integer> pieces(long seed, int length) {
        List<Integer> sizes = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        int shape = (int) (seed & 3);
        int left = length;
        while (left > 0) {
            int n = switch (shape) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(16);
                default -> 1 + random.nextInt(left);
            };
            n = Math.min(n, left);
            sizes.add(n);
            left -= n;
        }
        return sizes;
    }
}
