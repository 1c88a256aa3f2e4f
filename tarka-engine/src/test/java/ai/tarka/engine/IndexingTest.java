package ai.tarka.engine;

import static ai.tarka.engine.TestTensors.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IndexingTest {

    private static final GradCheck CHECK = GradCheck.defaults();

    static LongStream seeds() {
        return LongStream.of(1, 2, 3, 4, 5);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void embeddingPicksRowsAndScatterAddsGradients(long seed) {
        Random rng = new Random(seed);
        int vocab = 3 + rng.nextInt(5), c = 1 + rng.nextInt(6), b = 1 + rng.nextInt(3), t = 1 + rng.nextInt(4);
        int[] ids = new int[b * t];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(vocab); // repeats likely: they must accumulate
        Tensor w = normal(rng, vocab, c);
        Tensor e = Indexing.embedding(w, ids, b, t);
        assertThat(e.shape()).containsExactly(b, t, c);
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < c; j++) assertThat(e.get(i / t, i % t, j)).isEqualTo(w.get(ids[i], j));
        }
        CHECK.check("embedding", x -> Indexing.embedding(x[0], ids, b, t), w);
        // a transposed weight view is read correctly too
        Tensor wt = normal(rng, c, vocab);
        CHECK.check("embedding of a view", x -> Indexing.embedding(x[0].t(), ids, b, t), wt);
        assertThat(Indexing.embedding(w, ids).shape()).containsExactly(ids.length, c);
    }

    @Test
    void embeddingRejectsOutOfRangeIdsAndBadShapes() {
        Tensor w = Tensor.zeros(4, 3);
        assertThatThrownBy(() -> Indexing.embedding(w, new int[] {1, 4}, 2)).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("embedding:").hasMessageContaining("id 4").hasMessageContaining("V = 4");
        assertThatThrownBy(() -> Indexing.embedding(w, new int[] {-1}, 1)).isInstanceOf(ShapeException.class).hasMessageContaining("id -1");
        assertThatThrownBy(() -> Indexing.embedding(w, new int[] {1, 2, 3}, 2, 2)).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("embedding:").hasMessageContaining("[2, 2]");
        assertThatThrownBy(() -> Indexing.embedding(Tensor.zeros(4), new int[] {1}, 1)).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("embedding:");
    }

    @Test
    void embeddingCopiesTheIds() {
        Tensor w = Tensor.arange(6).reshape(3, 2).detach().requiresGrad(true);
        int[] ids = {2, 0};
        Tensor e = Indexing.embedding(w, ids, 2);
        ids[0] = 1;
        e.backward(Tensor.ones(2, 2));
        assertThat(w.grad().toArray()).containsExactly(1, 1, 0, 0, 1, 1);
    }

    @Test
    void embeddingAddsIntoAPreallocatedGradient() {
        Tensor w = Tensor.zeros(3, 2).requiresGrad(true);
        float[] flat = {9, 1, 1, 1, 1, 1, 1, 9};
        w.setGrad(new Tensor(flat, 1, new int[] {3, 2}, new int[] {2, 1}));
        Indexing.embedding(w, new int[] {2, 2, 0}, 3).backward(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        assertThat(flat).containsExactly(9, 6, 7, 1, 1, 5, 7, 9);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void concatAlongEachDimension(long seed) {
        Random rng = new Random(seed);
        int[] shape = TestTensors.shape(rng, 3, 3);
        for (int d = 0; d < 3; d++) {
            int[] s1 = shape.clone(), s2 = shape.clone();
            s2[d] = 1 + rng.nextInt(3);
            Tensor a = normal(rng, s1), b = normal(rng, s2), c = normal(rng, shape);
            int dim = d;
            Tensor out = Indexing.concat(dim, a, b, c);
            assertThat(out.size(d)).isEqualTo(2 * shape[d] + s2[d]);
            assertThat(out.slice(d, shape[d], shape[d] + s2[d]).toArray()).containsExactly(b.toArray());
            assertThat(out.slice(d, 0, shape[d]).toArray()).containsExactly(a.toArray());
            CHECK.check("concat dim " + d, x -> Indexing.concat(dim - 3, x[0], x[1], x[2]), a, b, c);
        }
        // strided inputs
        Tensor m = normal(rng, 4, 4);
        CHECK.check("concat of views", x -> Indexing.concat(1, x[0].t(), x[0].slice(1, 0, 3)), m);
    }

    @Test
    void concatErrorsNameTheShapes() {
        assertThatThrownBy(() -> Indexing.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4))).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("concat:").hasMessageContaining("[2, 3]").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> Indexing.concat(2, Tensor.zeros(2, 3))).isInstanceOf(ShapeException.class).hasMessageStartingWith("concat:");
        assertThatThrownBy(() -> Indexing.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2))).isInstanceOf(ShapeException.class);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void splitIntoViewsWithGradients(long seed) {
        Random rng = new Random(seed);
        Tensor x = normal(rng, 3, 7);
        Tensor[] parts = Indexing.split(x, -1, 2, 4, 1);
        assertThat(parts).hasSize(3);
        assertThat(parts[1].shape()).containsExactly(3, 4);
        assertThat(parts[1].data()).isSameAs(x.data());
        assertThat(parts[1].get(2, 3)).isEqualTo(x.get(2, 5));
        Tensor[] chunks = Indexing.split(x, 1, 3);
        assertThat(chunks).extracting(t -> t.size(1)).containsExactly(3, 3, 1);
        // a function of all the pieces: every element's gradient arrives through its own piece
        CHECK.check("split", t -> {
            Tensor[] p = Indexing.split(t[0], 1, 2, 4, 1);
            return p[0].sum(1, true).mul(p[2]).add(p[1].exp());
        }, x);
        CHECK.check("split chunks", t -> Indexing.split(t[0], 0, 2)[1].mul(Indexing.split(t[0], 0, 2)[0]), x);
    }

    @Test
    void splitErrors() {
        Tensor x = Tensor.zeros(3, 7);
        assertThatThrownBy(() -> Indexing.split(x, 1, 2, 2)).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("split:").hasMessageContaining("[3, 7]").hasMessageContaining("[2, 2]");
        assertThatThrownBy(() -> Indexing.split(x, 1, 0)).isInstanceOf(ShapeException.class).hasMessageStartingWith("split:");
        assertThatThrownBy(() -> Indexing.split(x, 2, 1)).isInstanceOf(ShapeException.class).hasMessageStartingWith("split:");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void gatherMatchesTorchSemanticsAndScatterAddsGradients(long seed) {
        Random rng = new Random(seed);
        int[] xs = TestTensors.shape(rng, 3, 4);
        Tensor x = normal(rng, xs);
        for (int d = 0; d < 3; d++) {
            int[] is = new int[3];
            for (int i = 0; i < 3; i++) is[i] = i == d ? 1 + rng.nextInt(5) : 1 + rng.nextInt(xs[i]);
            int[] index = new int[is[0] * is[1] * is[2]];
            for (int i = 0; i < index.length; i++) index[i] = rng.nextInt(xs[d]);
            int dim = d;
            Tensor out = Indexing.gather(x, dim, index, is);
            assertThat(out.shape()).containsExactly(is);
            for (int e = 0; e < index.length; e++) {
                int[] at = TestTensors.unravel(e, is);
                at[d] = index[e];
                assertThat(out.toArray()[e]).isEqualTo(x.get(at));
            }
            CHECK.check("gather dim " + d, t -> Indexing.gather(t[0], dim, index, is), x);
        }
        // gather from a transposed view (the cross-entropy pattern: pick one column per row)
        Tensor logits = normal(rng, 3, 4);
        int[] target = {0, 2, 1, 2};
        CHECK.check("gather of view", t -> Indexing.gather(t[0].t(), 1, target, 4, 1), logits);
    }

    @Test
    void gatherErrors() {
        Tensor x = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> Indexing.gather(x, 1, new int[] {3}, 1, 1)).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("gather:").hasMessageContaining("index 3").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Indexing.gather(x, 1, new int[] {0, 0, 0}, 3, 1)).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("gather:");
        assertThatThrownBy(() -> Indexing.gather(x, 1, new int[] {0}, 1)).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("gather:");
        assertThat(Indexing.gather(Tensor.arange(5), 0, new int[] {4, 0, 4}).toArray()).containsExactly(4, 0, 4);
    }
}
