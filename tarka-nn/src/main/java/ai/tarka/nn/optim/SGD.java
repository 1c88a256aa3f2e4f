package ai.tarka.nn.optim;

import ai.tarka.engine.Tensor;
import ai.tarka.kernels.optim.SgdKernel;
import ai.tarka.nn.ParameterBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay (added to the gradient, as in PyTorch's SGD), per-{@link ParamGroup} decay and rate scale.
 * The momentum buffer starts as the first step's gradient.
 */
public final class SGD extends Optimizer {
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final float momentum;
    private final float dampening;
    private final boolean nesterov;
    private final float[] buf;

    private final float[] groupLr;
    private final float[] groupWd;
    private boolean first;

    private SGD(Builder b) {
        super(b.buffer, b.schedule, b.weightDecay, b.groups);
        if (b.nesterov && (b.momentum <= 0 || b.dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                    + b.momentum + ", dampening " + b.dampening);
        }
        this.momentum = (float) b.momentum;
        this.dampening = (float) b.dampening;
        this.nesterov = b.nesterov;
        this.buf = new float[b.momentum != 0 ? runs.total() : 0];
        this.groupLr = new float[groupCount()];
        this.groupWd = new float[groupCount()];
    }

    public static Builder builder(ParameterBuffer buffer) {
        return new Builder(buffer);
    }

    @Override
    protected void prepare(long step, double lr) {
        first = step == 1;
        for (int g = 0; g < groupCount(); g++) {
            groupLr[g] = (float) (lr * groupLrScale(g));
            groupWd[g] = (float) groupWeightDecay(g);
        }
    }

    @Override
    protected void updatePiece(int run, int bufferOffset, int packedOffset, int n) {
        int g = runs.group(run);
        if (momentum == 0f) {
            SgdKernel.update(buffer.values(), bufferOffset, buffer.grads(), bufferOffset, n, groupLr[g], groupWd[g]);
        } else {
            SgdKernel.updateMomentum(buffer.values(), bufferOffset, buffer.grads(), bufferOffset, buf, packedOffset, n,
                    groupLr[g], groupWd[g], momentum, dampening, nesterov, first);
        }
    }

    /** The momentum buffer of one parameter, a live view (only when momentum is on). */
    public Tensor momentumBuffer(String parameterName) {
        if (momentum == 0f) throw new IllegalStateException("SGD: no momentum buffer without momentum");
        return packedView(buf, parameterName);
    }

    @Override
    public OptimizerState state() {
        LinkedHashMap<String, float[]> moments = new LinkedHashMap<>();
        if (momentum != 0f) moments.put(MOMENTUM_BUFFER, buf);
        return makeState(moments);
    }

    @Override
    public void loadState(OptimizerState state) {
        if (momentum != 0f) {
            restoreStep(state, MOMENTUM_BUFFER);
            System.arraycopy(state.moments().get(MOMENTUM_BUFFER), 0, buf, 0, buf.length);
        } else {
            restoreStep(state);
        }
    }

    /** Settings with PyTorch's defaults apart from the rate: lr 1e-2, no momentum, no decay. */
    public static final class Builder {
        private final ParameterBuffer buffer;
        private LearningRateSchedule schedule = new ConstantSchedule(1e-2);
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private double weightDecay;
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

        public Builder momentum(double mu) {
            if (!(mu >= 0 && mu < 1)) throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + mu);
            this.momentum = mu;
            return this;
        }

        public Builder dampening(double d) {
            if (!(d >= 0 && d <= 1)) throw new IllegalArgumentException("SGD: dampening must be in [0, 1], got " + d);
            this.dampening = d;
            return this;
        }

        public Builder nesterov(boolean on) {
            this.nesterov = on;
            return this;
        }

        public Builder weightDecay(double wd) {
            checkNonNegative("SGD: weightDecay", wd);
            this.weightDecay = wd;
            return this;
        }

        public Builder group(ParamGroup g) {
            groups.add(g);
            return this;
        }

        public SGD build() {
            return new SGD(this);
        }
    }
}
