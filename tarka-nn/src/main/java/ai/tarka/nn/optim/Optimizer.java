package ai.tarka.nn.optim;

import ai.tarka.engine.Shapes;
import ai.tarka.engine.Tensor;
import ai.tarka.kernels.ComputePool;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.ParameterBuffer.Slot;
import ai.tarka.nn.TrainableRuns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An optimiser over a flat {@link ParameterBuffer}. Each {@link #step()} is one pass over the
 * trainable runs of the buffer, split into contiguous chunks on {@link ComputePool#shared()}; the
 * update is element-wise, so the result does not depend on the thread count.
 *
 * <p>Which parameters are trained, and into which {@link ParamGroup}, is fixed at construction from
 * the parameters' {@code requiresGrad} flags: freeze before building the optimiser. Moments are
 * packed over the trained parameters only.
 */
public abstract class Optimizer {
    /** Floats per parallel chunk: below this the pass stays on the calling thread. */
    static final int GRAIN = 1 << 15;

    /** A parameter group as resolved against the buffer, for logs and checks. */
    public record GroupInfo(String label, double weightDecay, double lrScale, List<String> parameterNames, long numel) {}

    protected final ParameterBuffer buffer;
    protected final TrainableRuns runs;
    private final LearningRateSchedule schedule;
    private final double[] groupWeightDecay;
    private final double[] groupLrScale;
    private final List<GroupInfo> groupInfo;
    private final ComputePool.RangeTask chunkTask = this::updateChunk;
    private final TrainableRuns.PieceVisitor pieceTask = this::updatePiece;
    private long step;
    private double lastLr = Double.NaN;

    protected Optimizer(ParameterBuffer buffer, LearningRateSchedule schedule, double defaultWeightDecay,
                        List<ParamGroup> groups) {
        if (buffer == null || schedule == null) throw new IllegalArgumentException(name() + ": buffer and schedule are required");
        checkNonNegative(name() + ": weightDecay", defaultWeightDecay);
        this.buffer = buffer;
        this.schedule = schedule;
        List<ParamGroup> all = new ArrayList<>();
        all.add(new ParamGroup("default", s -> true, defaultWeightDecay, 1.0));
        all.addAll(groups);
        int g = all.size();
        this.groupWeightDecay = new double[g];
        this.groupLrScale = new double[g];
        List<List<String>> names = new ArrayList<>();
        long[] numel = new long[g];
        for (int i = 0; i < g; i++) {
            groupWeightDecay[i] = all.get(i).weightDecay();
            groupLrScale[i] = all.get(i).lrScale();
            names.add(new ArrayList<>());
        }
        int[] assigned = new int[buffer.slots().size()];
        for (Slot s : buffer.slots()) {
            int pick = 0;
            for (int i = 1; i < g; i++) {
                if (all.get(i).selects().test(s)) {
                    pick = i;
                    break;
                }
            }
            assigned[s.index()] = pick;
            if (s.requiresGrad()) {
                names.get(pick).add(s.name());
                numel[pick] += s.numel();
            }
        }
        this.runs = TrainableRuns.of(buffer, s -> assigned[s.index()]);
        List<GroupInfo> info = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            info.add(new GroupInfo(all.get(i).label(), groupWeightDecay[i], groupLrScale[i], List.copyOf(names.get(i)), numel[i]));
        }
        this.groupInfo = List.copyOf(info);
    }

    /** Takes one update with the schedule's rate for the next step number. */
    public final void step() {
        long next = step + 1;
        double lr = schedule.lr(next);
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalStateException(name() + ": schedule gave learning rate " + lr + " at step " + next);
        }
        step = next;
        lastLr = lr;
        prepare(next, lr);
        ComputePool.shared().parallelFor(runs.total(), GRAIN, chunkTask);
    }

    private void updateChunk(int from, int to) {
        runs.forEachPiece(from, to, pieceTask);
    }

    /** Sets the per-step scalars (bias corrections, per-group rates) before the pass. */
    protected abstract void prepare(long step, double lr);

    /** Updates {@code n} floats of one run at {@code bufferOffset} (flat arrays) and {@code packedOffset} (moments). */
    protected abstract void updatePiece(int run, int bufferOffset, int packedOffset, int n);

    public abstract OptimizerState state();

    /** Restores a state taken from an optimiser of the same kind over the same trainable layout. */
    public abstract void loadState(OptimizerState state);

    /** Completed steps. */
    public final long stepCount() {
        return step;
    }

    /** The rate used by the last step (NaN before the first). */
    public final double lastLr() {
        return lastLr;
    }

    public final LearningRateSchedule schedule() {
        return schedule;
    }

    public final ParameterBuffer buffer() {
        return buffer;
    }

    /** Groups in resolution order, the default group first. */
    public final List<GroupInfo> groups() {
        return groupInfo;
    }

    protected final double groupWeightDecay(int group) {
        return groupWeightDecay[group];
    }

    protected final double groupLrScale(int group) {
        return groupLrScale[group];
    }

    protected final int groupCount() {
        return groupWeightDecay.length;
    }

    public final void zeroGrad() {
        buffer.zeroGrad();
    }

    protected String name() {
        return getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- state helpers for subclasses

    /** A view of one trained parameter's slice of a packed moment array, shaped like the parameter. */
    protected final Tensor packedView(float[] packed, String parameterName) {
        Slot s = buffer.slot(parameterName);
        int off = runs.packedOffset(s.index());
        if (off < 0) throw new IllegalArgumentException(name() + ": parameter '" + parameterName + "' is not trained by this optimiser");
        return new Tensor(packed, off, s.shape(), Shapes.contiguousStrides(s.shape()));
    }

    /** Names and sizes of the trained parameters, in packed order. */
    protected final OptimizerState makeState(Map<String, float[]> moments) {
        List<String> names = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Slot s : buffer.slots()) {
            if (runs.packedOffset(s.index()) >= 0) {
                names.add(s.name());
                sizes.add(s.numel());
            }
        }
        return new OptimizerState(name(), step, names, sizes.stream().mapToInt(Integer::intValue).toArray(), moments);
    }

    /** Validates {@code state} against this optimiser's layout and restores the step count. */
    protected final void restoreStep(OptimizerState state, String... momentKeys) {
        OptimizerState mine = makeState(Map.of());
        if (!state.optimizer().equals(name())) {
            throw new IllegalArgumentException(name() + ".loadState: state was saved by " + state.optimizer());
        }
        if (!state.parameterNames().equals(mine.parameterNames()) || !Arrays.equals(state.parameterSizes(), mine.parameterSizes())) {
            throw new IllegalArgumentException(name() + ".loadState: trained parameters differ; state has "
                    + describe(state) + ", optimiser has " + describe(mine));
        }
        for (String k : momentKeys) {
            float[] m = state.moments().get(k);
            if (m == null) throw new IllegalArgumentException(name() + ".loadState: state lacks moment '" + k + "'");
            if (m.length != runs.total()) {
                throw new IllegalArgumentException(name() + ".loadState: moment '" + k + "' has " + m.length
                        + " floats, expected " + runs.total());
            }
        }
        if (state.step() < 0) throw new IllegalArgumentException(name() + ".loadState: negative step " + state.step());
        this.step = state.step();
        this.lastLr = state.step() == 0 ? Double.NaN : schedule.lr(state.step());
    }

    private static String describe(OptimizerState s) {
        StringBuilder sb = new StringBuilder("[");
        int[] sizes = s.parameterSizes();
        for (int i = 0; i < sizes.length; i++) {
            if (i > 0) sb.append(", ");
            if (i == 8) {
                sb.append("... ").append(sizes.length - 8).append(" more");
                break;
            }
            sb.append(s.parameterNames().get(i)).append(" (").append(sizes[i]).append(')');
        }
        return sb.append(']').toString();
    }

    protected static void checkNonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(what + " must be finite and >= 0, got " + v);
    }
}
