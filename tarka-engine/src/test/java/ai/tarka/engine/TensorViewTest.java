package ai.tarka.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorViewTest {

    @Test
    void transposeSharesStorageAndReadsByStrides() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = a.t();
        assertThat(t.shape()).containsExactly(3, 2);
        assertThat(t.isContiguous()).isFalse();
        assertThat(t.toArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(t.data()).isSameAs(a.data());
    }

    @Test
    void sliceSelectAndExpand() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(a.slice(1, 1, 3).toArray()).containsExactly(2, 3, 5, 6);
        assertThat(a.select(0, 1).toArray()).containsExactly(4, 5, 6);
        Tensor row = Tensor.of(new float[] {7, 8, 9}, 1, 3);
        assertThat(row.expand(2, 3).toArray()).containsExactly(7, 8, 9, 7, 8, 9);
        assertThat(a.unsqueeze(0).shape()).containsExactly(1, 2, 3);
        assertThat(a.permute(1, 0).toArray()).containsExactly(1, 4, 2, 5, 3, 6);
    }

    @Test
    void reshapeInfersAndRejectsWrongCounts() {
        Tensor a = Tensor.zeros(2, 3, 4);
        assertThat(a.reshape(6, -1).shape()).containsExactly(6, 4);
        assertThatThrownBy(() -> a.reshape(5, 5)).isInstanceOf(ShapeException.class)
                .hasMessageContaining("reshape").hasMessageContaining("[2, 3, 4]");
        assertThatThrownBy(() -> a.expand(2, 5, 4)).isInstanceOf(ShapeException.class).hasMessageContaining("expand");
    }

    @Test
    void viewGradientsFlowBackThroughTransposeAndSlice() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor s = a.t().slice(0, 1, 3); // [[2,5],[3,6]]
        s.backward(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        // s[i][j] = a[j][i+1]
        assertThat(a.grad().toArray()).containsExactly(0, 1, 3, 0, 2, 4);
    }
}
