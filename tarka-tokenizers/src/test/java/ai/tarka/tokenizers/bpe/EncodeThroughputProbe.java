package ai.tarka.tokenizers.bpe;

import ai.tarka.common.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Not a test: single-thread encode throughput on Tiny Shakespeare for r50k_base and cl100k_base (and o200k_base).
 * Each encoding runs warm-up rounds, then timed rounds; prints MB/s of UTF-8 input. After a build
 * ({@code ./test -q -o -pl tarka-tokenizers -am -DskipTests}), from the project root:
 * <pre>. bin/jdk.sh && "$JAVA_HOME/bin/java" -cp tarka-tokenizers/target/classes:tarka-tokenizers/target/test-classes:tarka-common/target/classes \
 *     ai.tarka.tokenizers.bpe.EncodeThroughputProbe 10</pre>
 */
public final class EncodeThroughputProbe {
    private EncodeThroughputProbe() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String text = Files.readString(SharedData.resolve("tinyshakespeare/input.txt"), StandardCharsets.UTF_8);
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        for (TiktokenEncoding enc : TiktokenEncoding.values()) {
            ByteLevelBpe bpe = enc.load(SharedData.resolve("tiktoken/" + enc.fileName()));
            long tokens = 0;
            for (int i = 0; i < 3; i++) tokens = bpe.encodeOrdinary(text).length;
            double best = Double.MAX_VALUE, total = 0;
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                tokens = bpe.encodeOrdinary(text).length;
                double s = (System.nanoTime() - t0) / 1e9;
                best = Math.min(best, s);
                total += s;
            }
            System.out.printf("%-12s %.2f MB, %d tokens: best %.1f MB/s, mean %.1f MB/s over %d rounds%n",
                    bpe.name(), mb, tokens, mb / best, mb * rounds / total, rounds);
        }
    }
}
