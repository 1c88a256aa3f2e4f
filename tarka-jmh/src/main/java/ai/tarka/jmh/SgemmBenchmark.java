package ai.tarka.jmh;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.JavaSgemm;
import ai.tarka.kernels.gemm.OpenBlasSgemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square SGEMM, {@code C = A·B} (optionally with B transposed), per backend and thread count.
 * Scores are milliseconds per call; GFLOP/s = 2·size³ / (score · 10⁶).
 * {@code tarka bench gemm} reports GFLOP/s and % of peak directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SgemmBenchmark {

    @Param({"java", "openblas"})
    public String backend;

    @Param({"256", "1024"})
    public int size;

    @Param({"false"})
    public boolean transB;

    /** 0 = all cores. */
    @Param({"0"})
    public int threads;

    private Gemm gemm;
    private float[] a, b, c;

    @Setup
    public void setup() {
        int t = threads > 0 ? threads : ComputePool.shared().threads();
        gemm = switch (backend) {
            case "java" -> t == ComputePool.shared().threads() ? JavaSgemm.shared() : new JavaSgemm(new ComputePool(t));
            case "openblas" -> OpenBlasSgemm.load(t);
            default -> throw new IllegalArgumentException("unknown backend " + backend);
        };
        Random r = new Random(1);
        a = new float[size * size];
        b = new float[size * size];
        c = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
            b[i] = r.nextFloat() - 0.5f;
        }
    }

    @Benchmark
    public float[] sgemm() {
        gemm.sgemm(false, transB, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        return c;
    }
}
