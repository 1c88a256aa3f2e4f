package ai.tarka.nn.optim;

import ai.tarka.engine.Tensor;
import ai.tarka.kernels.optim.AdamWKernel;
import ai.tarka.nn.ParameterBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): each step first shrinks the weights by
 * {@code p ← p·(1 − lr·wd)}, then applies the bias-corrected Adam update. Weight decay and a rate
 * multiplier can differ per {@link ParamGroup}, so biases and norm scales can be excluded from decay.
 *
 * <pre>
 * AdamW opt = AdamW.builder(buffer)
 *         .schedule(LearningRateSchedule.warmupCosine(6e-4, 6e-5, 2000, 600_000))
 *         .betas(0.9, 0.95).weightDecay(0.1)
 *         .group(ParamGroup.noDecayBelowRank2())
 *         .build();
 * </pre>
 */
public final class AdamW extends Optimizer {
    public static final String FIRST_MOMENT = "exp_avg";
    public static final String SECOND_MOMENT = "exp_avg_sq";

    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float[] m;
    private final float[] v;

    // per-step scalars, set by prepare() before the parallel pass reads them
    private final float[] stepSize;
    private final float[] decay;
    private float invSqrtBc2;

    private AdamW(Builder b) {
        super(b.buffer, b.schedule, b.weightDecay, b.groups);
        this.beta1 = (float) b.beta1;
        this.beta2 = (float) b.beta2;
        this.eps = (float) b.eps;
        this.m = new float[runs.total()];
        this.v = new float[runs.total()];
        this.stepSize = new float[groupCount()];
        this.decay = new float[groupCount()];
    }

    public static Builder builder(ParameterBuffer buffer) {
        return new Builder(buffer);
    }

    @Override
    protected void prepare(long step, double lr) {
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        for (int g = 0; g < groupCount(); g++) {
            double groupLr = lr * groupLrScale(g);
            stepSize[g] = (float) (groupLr / bc1);
            decay[g] = (float) (1 - groupLr * groupWeightDecay(g));
        }
    }

    @Override
    protected void updatePiece(int run, int bufferOffset, int packedOffset, int n) {
        int g = runs.group(run);
        AdamWKernel.update(buffer.values(), bufferOffset, buffer.grads(), bufferOffset, m, v, packedOffset, n,
                beta1, beta2, eps, stepSize[g], invSqrtBc2, decay[g]);
    }

    /** The first moment (running mean of gradients) of one parameter, a live view. */
    public Tensor firstMoment(String parameterName) {
        return packedView(m, parameterName);
    }

    /** The second moment (running mean of squared gradients) of one parameter, a live view. */
    public Tensor secondMoment(String parameterName) {
        return packedView(v, parameterName);
    }

    @Override
    public OptimizerState state() {
        LinkedHashMap<String, float[]> moments = new LinkedHashMap<>();
        moments.put(FIRST_MOMENT, m);
        moments.put(SECOND_MOMENT, v);
        return makeState(moments);
    }

    @Override
    public void loadState(OptimizerState state) {
        restoreStep(state, FIRST_MOMENT, SECOND_MOMENT);
        System.arraycopy(state.moments().get(FIRST_MOMENT), 0, m, 0, m.length);
        System.arraycopy(state.moments().get(SECOND_MOMENT), 0, v, 0, v.length);
    }

    /** Settings with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static final class Builder {
        private final ParameterBuffer buffer;
        private LearningRateSchedule schedule = new ConstantSchedule(1e-3);
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay = 0.01;
        private final List<ParamGroup> groups = new ArrayList<>();

        private Builder(ParameterBuffer buffer) {
            this.buffer = buffer;
        }

        public Builder lr(double lr) {
            this.schedule = new ConstantSchedule(lr);
            return this;
        }

        public Builder schedule(LearningRateSchedule s) {
            this.schedule = s;
            return this;
        }

        public Builder betas(double b1, double b2) {
            if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1)) {
                throw new IllegalArgumentException("AdamW: betas must be in [0, 1), got (" + b1 + ", " + b2 + ")");
            }
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        public Builder eps(double e) {
            if (!(e > 0) || Double.isInfinite(e)) throw new IllegalArgumentException("AdamW: eps must be finite and > 0, got " + e);
            this.eps = e;
            return this;
        }

        /** Weight decay of the default group (parameters no {@link ParamGroup} selects). */
        public Builder weightDecay(double wd) {
            checkNonNegative("AdamW: weightDecay", wd);
            this.weightDecay = wd;
            return this;
        }

        /** Adds a group; the first group that selects a parameter wins. */
        public Builder group(ParamGroup g) {
            groups.add(g);
            return this;
        }

        public AdamW build() {
            return new AdamW(this);
        }
    }
}
