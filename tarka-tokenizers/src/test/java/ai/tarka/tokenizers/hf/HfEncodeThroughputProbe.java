package ai.tarka.tokenizers.hf;

import ai.tarka.common.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Not a test: single-thread encode throughput of the Qwen3 tokenizer.json on Tiny Shakespeare. Qwen's pattern
 * ({@code \p{N}} single digits) is none of the built-in ones, so this measures the {@code java.util.regex} path plus NFC.
 * After a build ({@code ./test -q -o -pl tarka-tokenizers -am -DskipTests}), from the project root:
 * <pre>J=~/.m2/repository/com/fasterxml/jackson/core; V=2.21.0
 * . bin/jdk.sh && "$JAVA_HOME/bin/java" -cp tarka-tokenizers/target/classes:tarka-tokenizers/target/test-classes:tarka-common/target/classes:\
 *     $J/jackson-databind/$V/jackson-databind-$V.jar:$J/jackson-core/$V/jackson-core-$V.jar:$J/jackson-annotations/2.21/jackson-annotations-2.21.jar \
 *     ai.tarka.tokenizers.hf.HfEncodeThroughputProbe 10</pre>
 */
public final class HfEncodeThroughputProbe {
    private HfEncodeThroughputProbe() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String text = Files.readString(SharedData.resolve("tinyshakespeare/input.txt"), StandardCharsets.UTF_8);
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        long t0 = System.nanoTime();
        HfTokenizer qwen = HfTokenizerJson.load(SharedData.resolve("qwen3-tokenizer/tokenizer.json.gz"));
        System.out.printf("load %.2f s%n", (System.nanoTime() - t0) / 1e9);
        long tokens = 0;
        for (int i = 0; i < 3; i++) tokens = qwen.encodeOrdinary(text).length;
        double best = Double.MAX_VALUE, total = 0;
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            tokens = qwen.encodeOrdinary(text).length;
            double s = (System.nanoTime() - start) / 1e9;
            best = Math.min(best, s);
            total += s;
        }
        System.out.printf("qwen3 (regex) %.2f MB, %d tokens: best %.1f MB/s, mean %.1f MB/s over %d rounds%n",
                mb, tokens, mb / best, mb * rounds / total, rounds);
    }
}
