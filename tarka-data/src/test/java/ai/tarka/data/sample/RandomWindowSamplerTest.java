package ai.tarka.data.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.data.shard.TokenShard;
import ai.tarka.data.shard.TokenShardWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RandomWindowSamplerTest {
    @TempDir
    Path dir;

    private final List<TokenShard> open = new ArrayList<>();

    @AfterEach
    void closeShards() {
        open.forEach(TokenShard::close);
    }

    /** A shard whose token i of shard s is (s * 1000 + i) mod vocab, so a window's origin is recognisable. */
    private TokenShard shard(int s, int length, int vocab) {
        Path f = dir.resolve("shard" + s + ".bin");
        int[] t = new int[length];
        for (int i = 0; i < length; i++) t[i] = (s * 1000 + i) % vocab;
        try (TokenShardWriter w = TokenShardWriter.create(f, vocab)) {
            w.writeDocument(t);
            w.commit();
        }
        TokenShard shard = TokenShard.open(f);
        open.add(shard);
        return shard;
    }

    static Stream<Arguments> configs() {
        Random rnd = new Random(7);
        List<Arguments> out = new ArrayList<>();
        for (int k = 0; k < 5; k++) out.add(Arguments.of(1 + rnd.nextInt(7), 1 + rnd.nextInt(37), rnd.nextLong()));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void resumeGivesTheSameBatchAsAnUninterruptedRun(int batch, int seqLen, long seed) {
        List<TokenShard> shards = List.of(shard(0, 200, 70_000), shard(1, seqLen + 1, 70_000), shard(2, 5, 70_000), shard(3, 333, 70_000));
        RandomWindowSampler full = new RandomWindowSampler(shards, batch, seqLen, seed);
        List<TokenBatch> drawn = new ArrayList<>();
        for (int i = 0; i < 12; i++) drawn.add(full.next());
        assertThat(full.position()).isEqualTo(12);

        RandomWindowSampler resumed = new RandomWindowSampler(shards, batch, seqLen, seed);
        resumed.seek(9);
        for (int i = 9; i < 12; i++) {
            TokenBatch b = resumed.next();
            assertThat(b.index()).isEqualTo(i);
            assertThat(b.inputs()).containsExactly(drawn.get(i).inputs());
            assertThat(b.targets()).containsExactly(drawn.get(i).targets());
        }
        assertThat(new RandomWindowSampler(shards, batch, seqLen, seed).batch(5).inputs()).containsExactly(drawn.get(5).inputs());
        assertThat(new RandomWindowSampler(shards, batch, seqLen, seed + 1).batch(5).inputs()).isNotEqualTo(drawn.get(5).inputs());
    }

    @Test
    void windowsAreContiguousAndTargetsShiftedByOne() {
        List<TokenShard> shards = List.of(shard(0, 100, 60_000), shard(1, 4, 60_000), shard(2, 50, 60_000));
        RandomWindowSampler sampler = new RandomWindowSampler(shards, 5, 9, 123);
        for (int i = 0; i < 50; i++) {
            TokenBatch b = sampler.next();
            for (int r = 0; r < 5; r++) {
                int first = b.inputs()[r * 9];
                int s = first / 1000;
                assertThat(s).isIn(0, 2); // shard 1 has no window of 10 tokens
                for (int t = 0; t < 9; t++) {
                    assertThat(b.inputs()[r * 9 + t]).isEqualTo(first + t);
                    assertThat(b.targets()[r * 9 + t]).isEqualTo(first + t + 1);
                }
                assertThat(first % 1000 + 9).isLessThan((int) shards.get(s).tokenCount());
            }
        }
    }

    @Test
    void coversEveryStartPosition() {
        // 20 tokens, T=4: starts 0..15 (16 of them) must all occur and nothing beyond
        TokenShard s = shard(0, 20, 100);
        RandomWindowSampler sampler = new RandomWindowSampler(List.of(s), 8, 4, 99);
        Set<Integer> starts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            TokenBatch b = sampler.next();
            for (int r = 0; r < 8; r++) starts.add(b.inputs()[r * 4]);
        }
        assertThat(starts).hasSize(16).allMatch(x -> x >= 0 && x <= 15);
    }

    @Test
    void rejectsShardsWithoutAWindow() {
        TokenShard s = shard(0, 8, 100);
        assertThatThrownBy(() -> new RandomWindowSampler(List.of(s), 2, 8, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seqLen + 1 = 9").hasMessageContaining("shard0.bin");
    }

    @Test
    void evalWindowsCoverTheSplitOnceInOrder() {
        TokenShard a = shard(0, 23, 100); // T=5: windows at 0,5,10,15 (15+5 < 23); tail 20..22 left out
        TokenShard b = shard(1, 11, 2000); // windows at 0,5
        EvalWindows eval = new EvalWindows(List.of(a, b), 4, 5);
        assertThat(eval.windowCount()).isEqualTo(6);
        assertThat(eval.batchCount()).isEqualTo(2);
        List<Integer> firsts = new ArrayList<>();
        int rows = 0;
        for (TokenBatch batch : eval) {
            for (int r = 0; r < batch.batch(); r++) {
                firsts.add(batch.inputs()[r * 5]);
                for (int t = 0; t < 5; t++) assertThat(batch.targets()[r * 5 + t]).isEqualTo(batch.inputs()[r * 5 + t] + 1);
            }
            rows += batch.batch();
        }
        assertThat(rows).isEqualTo(6);
        assertThat(firsts).containsExactly(0, 5, 10, 15, 1000, 1005);
    }
}
