package ai.tarka.finetune.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.train.MicroBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PackedRowsTest {

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(1L, 37, 23), Arguments.of(2L, 61, 40), Arguments.of(3L, 13, 5));
    }

    static List<TokenizedSample> samples(Random rng, int n, int maxLen) {
        List<TokenizedSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 2 + rng.nextInt(maxLen);
            int[] t = new int[len];
            boolean[] m = new boolean[len];
            for (int j = 0; j < len; j++) {
                t[j] = 5 + rng.nextInt(90);
                m[j] = j > 0 && rng.nextBoolean();
            }
            out.add(new TokenizedSample(t, m));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void bestFitDecreasingPlacesEverySampleOnceWithRestartingPositions(long seed, int seqLen, int n) {
        Random rng = new Random(seed);
        List<TokenizedSample> samples = samples(rng, n, seqLen + 5);
        PackedRows rows = PackedRows.build(samples, seqLen, true, 0);
        Set<Integer> seen = new HashSet<>();
        long used = 0;
        for (int r = 0; r < rows.size(); r++) {
            int[] ids = rows.sampleIds(r), pos = rows.positions(r), in = rows.inputs(r), tg = rows.targets(r);
            for (int i = 0; i < seqLen; i++) {
                if (ids[i] < 0) {
                    assertThat(tg[i]).isEqualTo(MicroBatch.IGNORE_INDEX);
                    continue;
                }
                used++;
                TokenizedSample s = samples.get(ids[i]);
                if (i == 0 || ids[i - 1] != ids[i]) {
                    assertThat(seen.add(ids[i])).as("sample %d placed once", ids[i]).isTrue();
                    assertThat(pos[i]).isZero();
                }
                int k = pos[i];
                assertThat(in[i]).isEqualTo(s.tokens()[k]);
                int len = Math.min(seqLen, s.length());
                int expected = k + 1 < len && s.trained()[k + 1] ? s.tokens()[k + 1] : MicroBatch.IGNORE_INDEX;
                assertThat(tg[i]).isEqualTo(expected);
            }
        }
        assertThat(seen).hasSize(n);
        long total = samples.stream().mapToLong(s -> Math.min(seqLen, s.length())).sum();
        assertThat(used).isEqualTo(total);
        // best fit decreasing needs at most 11/9·OPT + 1 rows; OPT ≥ total/seqLen
        assertThat(rows.size()).isLessThanOrEqualTo((int) Math.ceil(11.0 / 9 * Math.ceil(total / (double) seqLen)) + 1);
        PackedRows unpacked = PackedRows.build(samples, seqLen, false, 0);
        assertThat(unpacked.size()).isEqualTo(n);
        assertThat(rows.size()).isLessThanOrEqualTo(unpacked.size());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sftDataBatchesArePureFunctionsOfTheIndex(long seed, int seqLen, int n) {
        List<TokenizedSample> samples = samples(new Random(seed), n, seqLen);
        PackedRows rows = PackedRows.build(samples, seqLen, true, 0);
        SftData a = new SftData(rows, rows, 3, seed, 0), b = new SftData(rows, rows, 3, seed, 0);
        MicroBatch late = a.trainBatch(7);
        a.trainBatch(0);
        assertThat(b.trainBatch(7).inputs()).isEqualTo(late.inputs());
        assertThat(Arrays.equals(a.trainBatch(7).positions(), late.positions())).isTrue();
    }
}
