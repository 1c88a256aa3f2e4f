package ai.tarka.cli.serve;

import java.util.Locale;

/** Parses sizes such as {@code 512M}, {@code 2G}, {@code 1.5GiB} or plain bytes. */
final class ByteSize {
    private ByteSize() {}

    static long parse(String option, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> mult = 1L << 10;
                case 'M' -> mult = 1L << 20;
                case 'G' -> mult = 1L << 30;
                case 'T' -> mult = 1L << 40;
                default -> { }
            }
            if (mult > 1) t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t);
            if (!(v > 0)) throw new NumberFormatException();
            return (long) (v * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a size (examples: 512M, 2G, 1048576)");
        }
    }
}
