package ai.tarka.jmh;

import ai.tarka.kernels.attention.AttentionMaskSpec;
import ai.tarka.kernels.attention.AttentionShape;
import ai.tarka.kernels.attention.ComposedAttention;
import ai.tarka.kernels.attention.FlashAttention;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Causal attention forward + backward: the fused kernel against the composed GEMM/softmax baseline
 * ({@code tarka bench attention} reports the same comparison with memory figures).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
public class AttentionBenchmark {

    @Param({"256", "1024"})
    int seq;

    @Param({"fused", "composed"})
    String path;

    @Param({"8"})
    int batch;

    @Param({"6"})
    int heads;

    @Param({"64"})
    int headDim;

    private AttentionShape shape;
    private float scale;
    private float[] q, k, v, dO, o, lse, dq, dk, dv;

    @Setup(Level.Trial)
    public void setUp() {
        shape = new AttentionShape(batch, heads, heads, seq, seq, headDim);
        scale = (float) (1 / Math.sqrt(headDim));
        Random rng = new Random(42);
        q = gaussian(rng, shape.queryElements());
        k = gaussian(rng, shape.keyElements());
        v = gaussian(rng, shape.keyElements());
        dO = gaussian(rng, shape.queryElements());
        o = new float[shape.queryElements()];
        lse = new float[shape.rows()];
        dq = new float[shape.queryElements()];
        dk = new float[shape.keyElements()];
        dv = new float[shape.keyElements()];
    }

    @Benchmark
    public float forwardBackward() {
        if (path.equals("fused")) {
            FlashAttention f = FlashAttention.shared();
            f.forward(shape, AttentionMaskSpec.CAUSAL, scale, q, k, v, o, lse);
            f.backward(shape, AttentionMaskSpec.CAUSAL, scale, q, k, v, o, lse, dO, dq, dk, dv);
        } else {
            ComposedAttention c = ComposedAttention.shared();
            float[] p = c.forward(shape, AttentionMaskSpec.CAUSAL, scale, q, k, v, o);
            c.backward(shape, scale, q, k, v, p, dO, dq, dk, dv);
        }
        return o[0] + dq[0] + dk[0] + dv[0];
    }

    @Benchmark
    public float forward() {
        if (path.equals("fused")) {
            FlashAttention.shared().forward(shape, AttentionMaskSpec.CAUSAL, scale, q, k, v, o, lse);
        } else {
            ComposedAttention.shared().forward(shape, AttentionMaskSpec.CAUSAL, scale, q, k, v, o);
        }
        return o[0];
    }

    private static float[] gaussian(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }
}
