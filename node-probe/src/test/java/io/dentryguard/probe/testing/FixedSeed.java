package io.dentryguard.probe.testing;

import java.util.List;
import java.util.Random;

/**
 * Inputs for property-style tests, drawn from a {@link Random} with a fixed seed: every run checks
 * the same cases, and a parameterized test's report names each one (the rule for property-style
 * tests in shared/notes/java-stack.md).
 */
public final class FixedSeed {
    /** Strings a parser of kernel files is tempted to get wrong; generated strings add to these. */
    public static final List<String> AWKWARD_STRINGS = List.of(
            "", " ", "   ", "\t", "\n", "\r\n", " \t\n\r ", "\n\n\n",
            "0", "-0", "-1", "+1", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
            "99999999999999999999999999999999999999999999999999", "1e6", "0x10", "1_000", "1.5",
            "é", "日本語", "１２３", "٣", "\u00a0", "\u2003", "\u2028", "\u0000", "\uD83D\uDE00", "\uD83D");

    /** Pieces random strings are made of: digits most often, then separators and the odd misfit. */
    private static final String[] PIECES = {
        "0", "1", "7", "9", "45", "18446744073709551615", " ", "\t", "\n", "\r", "\u00a0", "\u2003",
        "-", "+", ".", "x", "é", "日", "\uD83D\uDE00", "\u0000",
    };

    private FixedSeed() {}

    /** Uniform in [min, max], both included; max may be Long.MAX_VALUE, min may not be Long.MIN_VALUE. */
    public static long between(Random random, long min, long max) {
        return random.nextLong(min - 1, max) + 1;
    }

    /**
     * In [min, max] (0 <= min <= max), with every bit length in that range equally likely: small,
     * middling and large values all turn up, where a uniform draw would nearly always be large.
     */
    public static long acrossMagnitudes(Random random, long min, long max) {
        int bits = (int) between(random, bitLength(min), bitLength(max));
        long low = bits == 0 ? 0 : 1L << (bits - 1);
        long high = bits == 0 ? 0 : (1L << (bits - 1)) + ((1L << (bits - 1)) - 1);
        return between(random, Math.max(min, low), Math.min(max, high));
    }

    /** A string of up to {@code maxPieces} pieces: digits, blanks of every kind, signs, non-ASCII, NUL. */
    public static String string(Random random, int maxPieces) {
        StringBuilder s = new StringBuilder();
        int pieces = random.nextInt(maxPieces + 1);
        for (int i = 0; i < pieces; i++) {
            s.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return s.toString();
    }

    /** A string as a test name can show it: control and invisible characters escaped, long ones cut. */
    public static String visible(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '"', '\\' -> out.append('\\').append(c);
                default -> {
                    boolean invisible = Character.isISOControl(c) || Character.isSurrogate(c)
                            || (c > 0x7e && (Character.isWhitespace(c) || Character.isSpaceChar(c)));
                    out.append(invisible ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                }
            }
            if (out.length() > 60 && i < s.length() - 1) {
                return out + "...\" (" + s.length() + " chars)";
            }
        }
        return out.append('"').toString();
    }

    private static int bitLength(long n) {
        return 64 - Long.numberOfLeadingZeros(n);
    }
}
