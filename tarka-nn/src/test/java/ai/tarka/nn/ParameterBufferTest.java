package ai.tarka.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.ToyModels.TinyLm;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParameterBufferTest {

    @Test
    void flattenLaysParametersOutBackToBackAndKeepsTheirValues() {
        TinyLm m = new TinyLm(11, 5, 2, 1);
        Map<String, float[]> before = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> before.put(k, p.tensor().toArray()));
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        assertThat(buf.size()).isEqualTo(m.numParameters());
        assertThat(buf.slots()).extracting(ParameterBuffer.Slot::name).containsExactlyElementsOf(before.keySet());
        int off = 0;
        for (ParameterBuffer.Slot s : buf.slots()) {
            assertThat(s.offset()).isEqualTo(off);
            off += s.numel();
            Tensor t = s.parameter().tensor();
            assertThat(t.data()).isSameAs(buf.values());
            assertThat(t.offset()).isEqualTo(s.offset());
            assertThat(t.grad().data()).isSameAs(buf.grads());
            assertThat(t.toArray()).as(s.name()).containsExactly(before.get(s.name()));
            assertThat(s.parameter().name()).isEqualTo(s.name());
            assertThat(t.name()).isEqualTo(s.name());
        }
        // the tied lm_head sees the flat storage too
        assertThat(m.stateDict().get("lm_head.weight").data()).isSameAs(buf.values());
    }

    @Test
    void writesToTheFlatArrayAreSeenByTheParameterTensors() {
        TinyLm m = new TinyLm(11, 5, 1, 1);
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        ParameterBuffer.Slot s = buf.slot("blocks.0.attn.q_proj.bias");
        buf.values()[s.offset() + 3] = 9.5f;
        assertThat(m.blocks.get(0).attn.qProj.bias().tensor().get(3)).isEqualTo(9.5f);
        assertThat(buf.value("blocks.0.attn.q_proj.bias").get(3)).isEqualTo(9.5f);
    }

    @Test
    void backwardAccumulatesStraightIntoTheFlatGradientArray() {
        TinyLm m = new TinyLm(11, 5, 1, 1);
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        Random r = new Random(5);
        float[] x = new float[25];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        Tensor w = m.blocks.get(0).attn.oProj.weight().tensor();
        TestOps.dot(w, x).backward();
        // through a transposed view: d/dw of Σ wᵀ·x is xᵀ
        TestOps.dot(w.t(), x).backward();
        ParameterBuffer.Slot s = buf.slot("blocks.0.attn.o_proj.weight");
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertThat(buf.grads()[s.offset() + i * 5 + j]).isEqualTo(x[i * 5 + j] + x[j * 5 + i]);
            }
        }
        float total = 0;
        for (float g : buf.grads()) total += Math.abs(g);
        float inSlot = 0;
        for (int i = 0; i < 25; i++) inSlot += Math.abs(buf.grads()[s.offset() + i]);
        assertThat(total).isEqualTo(inSlot);
        assertThat(w.grad()).isSameAs(buf.grad("blocks.0.attn.o_proj.weight"));
        buf.zeroGrad();
        assertThat(buf.grads()).containsOnly(0f);
        assertThat(w.grad().toArray()).containsOnly(0f);
    }

    @Test
    void frozenParametersReceiveNoGradient() {
        TinyLm m = new TinyLm(11, 5, 1, 1);
        m.freeze("wpe");
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        assertThat(m.wpe.tensor().requiresGrad()).isFalse();
        assertThat(buf.trainableSize()).isEqualTo(m.numParameters() - 20);
        Tensor wpeNoGrad = m.wpe.tensor();
        assertThat(wpeNoGrad.isLeaf()).isTrue();
        float[] x = new float[20];
        java.util.Arrays.fill(x, 1f);
        Tensor other = Tensor.zeros(20).requiresGrad(true);
        TestOps.dot(other, x).backward();
        assertThat(buf.grads()).containsOnly(0f);
    }

    @Test
    void flattenKeepsAnExistingGradientAndLoadsStayInPlace() {
        TinyLm m = new TinyLm(11, 5, 1, 1);
        float[] x = new float[20];
        x[7] = 2f;
        TestOps.dot(m.wpe.tensor(), x).backward();
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        assertThat(buf.grads()[buf.slot("wpe").offset() + 7]).isEqualTo(2f);
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("ln_f.weight", Tensor.full(4f, 5));
        m.loadStateDict(sd, false);
        ParameterBuffer.Slot s = buf.slot("ln_f.weight");
        for (int i = 0; i < 5; i++) assertThat(buf.values()[s.offset() + i]).isEqualTo(4f);
    }

    @Test
    void aParameterCanBeFlattenedOnlyOnce() {
        TinyLm m = new TinyLm(11, 5, 1, 1);
        ParameterBuffer.flatten(m);
        assertThatThrownBy(() -> ParameterBuffer.flatten(m)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'wpe' is already flattened");
    }

    @Test
    void slotLookupByNameAndByFlatIndex() {
        TinyLm m = new TinyLm(11, 5, 1, 1);
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        for (ParameterBuffer.Slot s : buf.slots()) {
            assertThat(buf.slotAt(s.offset())).isEqualTo(s);
            assertThat(buf.slotAt(s.offset() + s.numel() - 1)).isEqualTo(s);
        }
        assertThatThrownBy(() -> buf.slot("missing")).hasMessageContaining("no parameter 'missing'");
        assertThatThrownBy(() -> buf.slotAt(buf.size())).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void trainableRunsMergeAdjacentSlotsAndSkipFrozenOnes() {
        TinyLm m = new TinyLm(11, 5, 2, 1);
        m.freeze("blocks.0");
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        TrainableRuns all = TrainableRuns.of(buf);
        // wpe+wte | (blocks.0 frozen) | blocks.1 + ln_f
        assertThat(all.runCount()).isEqualTo(2);
        assertThat(all.total()).isEqualTo(buf.trainableSize());
        assertThat(all.packedOffset(buf.slot("blocks.1.ln.weight").index())).isEqualTo(20 + 55);
        assertThat(all.packedOffset(buf.slot("blocks.0.ln.weight").index())).isEqualTo(-1);
        TrainableRuns byRank = TrainableRuns.of(buf, s -> s.rank());
        // [wpe, wte] | [ln.weight, ln.bias] | q.weight | q.bias | o.weight | [ln_f.weight, ln_f.bias]
        assertThat(byRank.runCount()).isEqualTo(6);
        int[] seen = new int[1];
        byRank.forEachPiece(3, byRank.total() - 2, (run, off, packed, n) -> seen[0] += n);
        assertThat(seen[0]).isEqualTo(byRank.total() - 5);
    }
}
