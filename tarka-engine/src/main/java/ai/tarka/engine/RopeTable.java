package ai.tarka.engine;

/**
 * Precomputed cos/sin of the rotary angles {@code pos·θ_i}, {@code θ_i = base^(−2i/D)} (after the
 * optional {@link RopeScaling}), for positions {@code [0, maxPositions)} and pairs
 * {@code i < D/2}. Angles are computed in double precision and rounded once.
 *
 * <p>The per-element tables of the interleaved pairing (twice the size) are built on first use.
 * Immutable and safe to share between threads and models.
 */
public final class RopeTable {
    private final int headDim;
    private final int maxPositions;
    private final double base;
    private final RopeScaling scaling;
    private final double[] inverseFrequencies;
    private final float[] cos;
    private final float[] sin;
    private volatile float[][] interleaved;

    public RopeTable(int headDim, int maxPositions, double base) {
        this(headDim, maxPositions, base, RopeScaling.none());
    }

    public RopeTable(int headDim, int maxPositions, double base, RopeScaling scaling) {
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("rope: headDim must be even and positive, got " + headDim);
        }
        if (maxPositions <= 0) throw new IllegalArgumentException("rope: maxPositions must be positive, got " + maxPositions);
        if (!(base > 0) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("rope: base must be positive and finite, got " + base);
        }
        if (scaling == null) throw new IllegalArgumentException("rope: scaling is null (use RopeScaling.none())");
        if ((long) maxPositions * headDim > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("rope: table of " + maxPositions + " positions x " + headDim + " is too large");
        }
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        this.base = base;
        this.scaling = scaling;
        int half = headDim / 2;
        double[] f = new double[half];
        for (int i = 0; i < half; i++) f[i] = Math.pow(base, -2.0 * i / headDim);
        this.inverseFrequencies = scaling.scale(f);
        this.cos = new float[maxPositions * half];
        this.sin = new float[maxPositions * half];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * inverseFrequencies[i];
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
    }

    public int headDim() {
        return headDim;
    }

    public int maxPositions() {
        return maxPositions;
    }

    public double base() {
        return base;
    }

    public RopeScaling scaling() {
        return scaling;
    }

    /** The inverse frequency of pair i after scaling. */
    public double inverseFrequency(int i) {
        return inverseFrequencies[i];
    }

    /** cos(pos·θ_i). */
    public float cos(int pos, int i) {
        return cos[pos * (headDim / 2) + i];
    }

    /** sin(pos·θ_i). */
    public float sin(int pos, int i) {
        return sin[pos * (headDim / 2) + i];
    }

    /** [maxPositions, D/2] cos table, shared (do not modify). */
    float[] cosTable() {
        return cos;
    }

    /** [maxPositions, D/2] sin table, shared (do not modify). */
    float[] sinTable() {
        return sin;
    }

    /**
     * The per-element tables of the interleaved pairing, [maxPositions, D] each:
     * {@code cos2[p, 2i] = cos2[p, 2i+1] = cos}, {@code sin2[p, 2i] = −sin}, {@code sin2[p, 2i+1] = sin}.
     */
    float[][] interleavedTables() {
        float[][] t = interleaved;
        if (t == null) {
            synchronized (this) {
                t = interleaved;
                if (t == null) {
                    int half = headDim / 2;
                    float[] c2 = new float[maxPositions * headDim], s2 = new float[maxPositions * headDim];
                    for (int p = 0; p < maxPositions; p++) {
                        for (int i = 0; i < half; i++) {
                            c2[p * headDim + 2 * i] = c2[p * headDim + 2 * i + 1] = cos[p * half + i];
                            s2[p * headDim + 2 * i] = -sin[p * half + i];
                            s2[p * headDim + 2 * i + 1] = sin[p * half + i];
                        }
                    }
                    t = new float[][] {c2, s2};
                    interleaved = t;
                }
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "RopeTable[headDim=" + headDim + ", maxPositions=" + maxPositions + ", base=" + base + ", scaling=" + scaling + "]";
    }
}
