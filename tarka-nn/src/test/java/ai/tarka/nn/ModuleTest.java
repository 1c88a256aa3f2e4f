package ai.tarka.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.ToyModels.TinyLm;
import ai.tarka.nn.layers.Dropout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {

    private static final List<String> PARAMS = List.of(
            "wpe", "wte.weight",
            "blocks.0.ln.weight", "blocks.0.ln.bias", "blocks.0.attn.q_proj.weight", "blocks.0.attn.q_proj.bias",
            "blocks.0.attn.o_proj.weight",
            "blocks.1.ln.weight", "blocks.1.ln.bias", "blocks.1.attn.q_proj.weight", "blocks.1.attn.q_proj.bias",
            "blocks.1.attn.o_proj.weight",
            "ln_f.weight", "ln_f.bias");

    @Test
    void namesAreDottedPathsInRegistrationOrderOwnParametersFirst() {
        TinyLm m = new TinyLm(11, 5, 2, 1);
        assertThat(m.namedParameters().keySet()).containsExactlyElementsOf(PARAMS);
        assertThat(m.parameters()).hasSize(PARAMS.size());
        assertThat(m.parameter("blocks.1.attn.q_proj.weight").shape()).containsExactly(5, 5);
        assertThat(m.namedModules().keySet()).startsWith("", "wte", "blocks", "blocks.0", "blocks.0.ln", "blocks.0.attn",
                "blocks.0.attn.q_proj");
    }

    @Test
    void tiedWeightsAreCountedOnceButEveryNameIsInTheStateDict() {
        TinyLm m = new TinyLm(11, 5, 2, 1);
        assertThat(m.numParameters()).isEqualTo(4 * 5 + 11 * 5 + 2 * (5 + 5 + 25 + 5 + 25) + 10);
        LinkedHashMap<String, Tensor> sd = m.stateDict();
        assertThat(sd.keySet()).containsExactly(
                "wpe", "step_counter", "wte.weight",
                "blocks.0.ln.weight", "blocks.0.ln.bias", "blocks.0.attn.q_proj.weight", "blocks.0.attn.q_proj.bias",
                "blocks.0.attn.o_proj.weight",
                "blocks.1.ln.weight", "blocks.1.ln.bias", "blocks.1.attn.q_proj.weight", "blocks.1.attn.q_proj.bias",
                "blocks.1.attn.o_proj.weight",
                "ln_f.weight", "ln_f.bias", "lm_head.weight");
        assertThat(sd.get("lm_head.weight").data()).isSameAs(sd.get("wte.weight").data());
    }

    @Test
    void stateDictSharesStorageWithTheModule() {
        TinyLm m = new TinyLm(11, 5, 1, 1);
        m.stateDict().get("ln_f.bias").set(3f, 2);
        assertThat(m.lnF.bias().tensor().get(2)).isEqualTo(3f);
        assertThat(m.stateDict().get("ln_f.bias").requiresGrad()).isFalse();
    }

    @Test
    void trainAndEvalPropagateToEveryDescendant() {
        TinyLm m = new TinyLm(11, 5, 2, 1);
        assertThat(m.namedModules().values()).allMatch(Module::isTraining);
        m.eval();
        assertThat(m.namedModules().values()).noneMatch(Module::isTraining);
        m.blocks.get(1).train();
        assertThat(m.blocks.get(1).attn.qProj.isTraining()).isTrue();
        assertThat(m.blocks.get(0).attn.qProj.isTraining()).isFalse();
    }

    @Test
    void dropoutIsTheIdentityInEvalModeAndAtZeroRate() {
        Tensor x = Tensor.arange(6);
        Dropout d = new Dropout(0.5f, 3);
        d.eval();
        assertThat(d.forward(x)).isSameAs(x);
        assertThat(new Dropout(0f, 3).forward(x)).isSameAs(x);
        assertThatThrownBy(() -> new Dropout(1f, 3)).hasMessageContaining("Dropout");
    }

    @Test
    void stateDictRoundTripLoadsInPlace() {
        TinyLm a = new TinyLm(11, 5, 2, 1), b = new TinyLm(11, 5, 2, 2);
        a.stepCounter.set(42f);
        Map<String, Tensor> snapshot = new LinkedHashMap<>();
        a.stateDict().forEach((k, t) -> snapshot.put(k, t.copy()));
        Tensor bQ = b.blocks.get(0).attn.qProj.weight().tensor();
        Module.LoadResult r = b.loadStateDict(snapshot, true);
        assertThat(r.missingKeys()).isEmpty();
        assertThat(r.unexpectedKeys()).isEmpty();
        for (var e : a.stateDict().entrySet()) {
            assertThat(b.stateDict().get(e.getKey()).toArray()).as(e.getKey()).containsExactly(e.getValue().toArray());
        }
        assertThat(b.blocks.get(0).attn.qProj.weight().tensor()).isSameAs(bQ);
        assertThat(b.stepCounter.item()).isEqualTo(42f);
    }

    @Test
    void loadErrorsListMissingUnexpectedAndMismatchedShapesAndChangeNothing() {
        TinyLm m = new TinyLm(11, 5, 2, 1);
        Map<String, Tensor> sd = new LinkedHashMap<>(new TinyLm(11, 5, 2, 9).stateDict());
        sd.remove("blocks.1.ln.bias");
        sd.remove("wpe");
        sd.put("blocks.2.ln.weight", Tensor.ones(5));
        sd.put("ln_f.weight", Tensor.ones(6));
        float[] before = m.blocks.get(0).attn.qProj.weight().tensor().toArray();
        assertThatThrownBy(() -> m.loadStateDict(sd, true))
                .isInstanceOfSatisfying(StateDictException.class, e -> {
                    assertThat(e.missingKeys()).containsExactly("wpe", "blocks.1.ln.bias");
                    assertThat(e.unexpectedKeys()).containsExactly("blocks.2.ln.weight");
                    assertThat(e.shapeMismatches()).containsExactly("ln_f.weight: state dict [6] vs module [5]");
                })
                .hasMessageContaining("TinyLm").hasMessageContaining("2 missing keys").hasMessageContaining("1 unexpected key,")
                .hasMessageContaining("1 shape mismatch").hasMessageContaining("ln_f.weight: state dict [6] vs module [5]");
        assertThat(m.blocks.get(0).attn.qProj.weight().tensor().toArray()).containsExactly(before);
    }

    @Test
    void nonStrictLoadSkipsMissingAndUnexpectedKeysButNotShapeMismatches() {
        TinyLm m = new TinyLm(11, 5, 1, 1);
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("ln_f.bias", Tensor.full(2f, 5));
        sd.put("extra", Tensor.ones(1));
        Module.LoadResult r = m.loadStateDict(sd, false);
        assertThat(r.unexpectedKeys()).containsExactly("extra");
        assertThat(r.missingKeys()).contains("wpe", "wte.weight").doesNotContain("ln_f.bias");
        assertThat(m.lnF.bias().tensor().toArray()).containsOnly(2f);
        sd.put("wpe", Tensor.zeros(5, 4));
        assertThatThrownBy(() -> m.loadStateDict(sd, false)).isInstanceOf(StateDictException.class)
                .hasMessageContaining("wpe: state dict [5, 4] vs module [4, 5]");
    }

    @Test
    void loadAcceptsStridedSourcesAndKeepsTiedWeightsTied() {
        TinyLm m = new TinyLm(3, 2, 1, 1);
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("wte.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t());
        m.loadStateDict(sd, false);
        assertThat(m.wte.weight().tensor().toArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(m.stateDict().get("lm_head.weight").toArray()).containsExactly(1, 4, 2, 5, 3, 6);
    }

    @Test
    void freezeSelectsByPatternAndCountsTrainableParameters() {
        TinyLm m = new TinyLm(11, 5, 2, 1);
        long all = m.numParameters();
        assertThat(m.freeze("blocks.0")).isEqualTo(5);
        assertThat(m.parameter("blocks.0.attn.o_proj.weight").requiresGrad()).isFalse();
        assertThat(m.parameter("blocks.1.attn.o_proj.weight").requiresGrad()).isTrue();
        assertThat(m.numTrainableParameters()).isEqualTo(all - 65);
        assertThat(m.freeze("*.bias", "wpe")).isEqualTo(5 + 1);
        assertThat(m.parameter("ln_f.bias").requiresGrad()).isFalse();
        assertThat(m.unfreeze("blocks.*.attn.q_proj")).isEqualTo(4);
        assertThat(m.parameter("blocks.0.attn.q_proj.bias").requiresGrad()).isTrue();
        assertThat(m.setRequiresGrad(false, name -> name.startsWith("ln_f"))).isEqualTo(2);
        assertThatThrownBy(() -> m.freeze("block.0")).hasMessageContaining("pattern 'block.0' matches no parameter")
                .hasMessageContaining("blocks.0.ln.weight");
    }

    @Test
    void patternsDoNotMatchPartialSegments() {
        NamePattern p = NamePattern.of("blocks.1");
        assertThat(p.matches("blocks.1.ln.weight")).isTrue();
        assertThat(p.matches("blocks.10.ln.weight")).isFalse();
        assertThat(NamePattern.of("*.q_proj.*").matches("blocks.3.attn.q_proj.weight")).isTrue();
        assertThat(NamePattern.of("blocks.?.ln").matches("blocks.7.ln.bias")).isTrue();
    }

    @Test
    void zeroGradClearsEveryGradient() {
        TinyLm m = new TinyLm(11, 5, 1, 1);
        TestOps.dot(m.wpe.tensor(), new float[20]).backward();
        m.wpe.tensor().grad().set(5f, 0, 0);
        m.zeroGrad();
        assertThat(m.wpe.grad().toArray()).containsOnly(0f);
    }

    @Test
    void registrationRejectsBadOrDuplicateNamesAndNonLeafValues() {
        class Bad extends Module {
            Bad(String a, String b) {
                registerParameter(a, Tensor.zeros(1));
                registerBuffer(b, Tensor.zeros(1), true);
            }
        }
        assertThatThrownBy(() -> new Bad("w", "w")).hasMessageContaining("Bad").hasMessageContaining("'w' is already registered");
        assertThatThrownBy(() -> new Bad("a.b", "c")).hasMessageContaining("invalid name 'a.b'");
        Tensor leaf = Tensor.zeros(3).requiresGrad(true);
        Tensor nonLeaf = TestOps.dot(leaf, new float[3]);
        assertThatThrownBy(() -> new Parameter("p", nonLeaf)).hasMessageContaining("leaf").hasMessageContaining("test.dot");
        assertThatThrownBy(() -> new TinyLm(3, 2, 1, 1).parameter("nope")).hasMessageContaining("no parameter 'nope'");
    }

    @Test
    void printsTheModuleTree() {
        String s = new TinyLm(11, 5, 1, 1).toString();
        assertThat(s).contains("(wte): Embedding(11, 5)").contains("(q_proj): Linear(in=5, out=5, bias=true)")
                .contains("(ln_f): LayerNorm(5, eps=1.0E-5)");
    }
}
