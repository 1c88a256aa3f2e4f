package ai.tarka.serve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The paged-attention kernel (vector and scalar paths) against a plain-loop reference, with block sizes that are and
 * are not multiples of the vector width (the vector scoring path needs one), windows starting mid-block and sequences
 * ending mid-block.
 */
class PagedAttentionTest {

    static Stream<Arguments> shapes() {
        Random r = new Random(5);
        int lanes = ai.tarka.kernels.Vec.L;
        return IntStream.range(0, 12).mapToObj(i -> Arguments.of(1 + r.nextInt(40),
                i % 3 == 0 ? 1 + r.nextInt(7) : lanes * (1 + r.nextInt(2)), 1 + r.nextInt(3), 1 + r.nextInt(70),
                r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesThePlainLoop(int headDim, int blockSize, int kvHeads, int length, long seed) {
        Random r = new Random(seed);
        int kvDim = kvHeads * headDim;
        int blocks = (length + blockSize - 1) / blockSize;
        int pool = blocks + 5;
        int[] table = IntStream.range(0, pool).map(i -> pool - 1 - i).limit(blocks).toArray();
        float[] keys = new float[pool * blockSize * kvDim], values = new float[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (float) r.nextGaussian();
            values[i] = (float) r.nextGaussian();
        }
        float[] q = new float[headDim + 3];
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
        int head = r.nextInt(kvHeads);
        int start = r.nextInt(length);
        float scale = (float) (1 / Math.sqrt(headDim));
        for (boolean vector : new boolean[] {true, false}) {
            float[] out = new float[headDim + 2];
            PagedAttention.attend(q, 3, keys, values, table, blockSize, kvDim, head * headDim, headDim, start, length,
                    scale, new float[length + blockSize], out, 2, vector);
            float[] want = reference(q, 3, keys, values, table, blockSize, kvDim, head * headDim, headDim, start, length, scale);
            for (int d = 0; d < headDim; d++) assertThat(out[2 + d]).isCloseTo(want[d], within(1e-4f));
        }
    }

    static float[] reference(float[] q, int qOff, float[] k, float[] v, int[] table, int bs, int kvDim, int headOff,
                             int d, int start, int len, float scale) {
        double[] s = new double[len];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = start; j < len; j++) {
            double dot = 0;
            for (int i = 0; i < d; i++) dot += q[qOff + i] * k[(table[j / bs] * kvDim + headOff + i) * bs + j % bs];
            s[j] = dot * scale;
            max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = start; j < len; j++) sum += s[j] = Math.exp(s[j] - max);
        float[] out = new float[d];
        for (int j = start; j < len; j++) {
            int row = (table[j / bs] * bs + j % bs) * kvDim + headOff;
            for (int i = 0; i < d; i++) out[i] += (float) (s[j] / sum * v[row + i]);
        }
        return out;
    }
}
