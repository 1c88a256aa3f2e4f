package ai.tarka.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.ShapeException;
import ai.tarka.engine.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Construction, naming and argument checks of the layers (no engine ops needed). */
class LayersTest {

    @Test
    void layersRegisterHuggingFaceNamesAndShapes() {
        Linear l = new Linear(4, 6, true);
        assertThat(l.namedParameters().keySet()).containsExactly("weight", "bias");
        assertThat(l.weight().shape()).containsExactly(6, 4);
        assertThat(new Linear(4, 6, false).namedParameters().keySet()).containsExactly("weight");
        assertThat(new Embedding(10, 3).weight().shape()).containsExactly(10, 3);
        LayerNorm ln = new LayerNorm(5, 1e-5f);
        assertThat(ln.weight().tensor().toArray()).containsOnly(1f);
        assertThat(ln.bias().tensor().toArray()).containsOnly(0f);
        assertThat(new RMSNorm(5, 1e-6f).weight().tensor().toArray()).containsOnly(1f);
    }

    @Test
    void wrongInputsAreRejectedNamingTheLayerAndShapes() {
        assertThatThrownBy(() -> new Linear(4, 6, true).forward(Tensor.zeros(2, 5))).isInstanceOf(ShapeException.class)
                .hasMessageContaining("Linear").hasMessageContaining("[2, 5]").hasMessageContaining("[6, 4]");
        assertThatThrownBy(() -> new LayerNorm(4, 1e-5f).forward(Tensor.zeros(3))).hasMessageContaining("LayerNorm")
                .hasMessageContaining("[3]");
        assertThatThrownBy(() -> new RMSNorm(4, 1e-5f).forward(Tensor.zeros(3))).hasMessageContaining("RMSNorm");
        Embedding e = new Embedding(10, 3);
        assertThatThrownBy(() -> e.forward(new int[] {1, 10}, 2)).hasMessageContaining("Embedding")
                .hasMessageContaining("id 10 at position 1 outside [0, 10)");
        assertThatThrownBy(() -> e.forward(new int[] {1, 2, 3}, 2, 2)).hasMessageContaining("3 ids do not fill shape");
        assertThatThrownBy(() -> new Linear(0, 2, true)).hasMessageContaining("Linear");
    }

    @Test
    void moduleListAndSequentialNameChildrenByIndex() {
        ModuleList<Linear> list = new ModuleList<>(List.of(new Linear(2, 2, false), new Linear(2, 3, false)));
        list.add(new Linear(3, 1, true));
        assertThat(list.size()).isEqualTo(3);
        assertThat(list.get(1).outFeatures()).isEqualTo(3);
        assertThat(list.namedParameters().keySet()).containsExactly("0.weight", "1.weight", "2.weight", "2.bias");
        assertThatThrownBy(() -> list.get(3)).hasMessageContaining("index 3 outside [0, 3)");
        Sequential s = new Sequential(new Dropout(0f, 1)).add(new Linear(2, 2, false));
        assertThat(s.namedParameters().keySet()).containsExactly("1.weight");
        int n = 0;
        for (Linear ignored : list) n++;
        assertThat(n).isEqualTo(3);
    }
}
