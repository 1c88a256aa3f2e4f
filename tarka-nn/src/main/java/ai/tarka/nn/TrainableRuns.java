package ai.tarka.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The trainable part of a {@link ParameterBuffer} as maximal runs of adjacent slots that share a
 * group (for optimisers, a parameter group with its own hyperparameters). Runs are also numbered in
 * a packed index space that skips frozen slots, which is where optimiser moments live: frozen
 * parameters (a frozen base model under adapters) cost no moment memory.
 *
 * <p>Computed once from the parameters' {@code requiresGrad} flags; freezing later does not change
 * an existing instance.
 */
public final class TrainableRuns {
    private final int[] bufferStart;
    private final int[] packedStart;
    private final int[] length;
    private final int[] group;
    private final int[] packedOffsetOfSlot;
    private final int total;

    private TrainableRuns(int[] bufferStart, int[] packedStart, int[] length, int[] group, int[] packedOffsetOfSlot, int total) {
        this.bufferStart = bufferStart;
        this.packedStart = packedStart;
        this.length = length;
        this.group = group;
        this.packedOffsetOfSlot = packedOffsetOfSlot;
        this.total = total;
    }

    /** All trainable slots in group 0. */
    public static TrainableRuns of(ParameterBuffer buffer) {
        return of(buffer, s -> 0);
    }

    /** Trainable slots grouped by {@code groupOf}; a negative group leaves the slot out. */
    public static TrainableRuns of(ParameterBuffer buffer, ToIntFunction<ParameterBuffer.Slot> groupOf) {
        List<int[]> runs = new ArrayList<>();
        int[] slotPacked = new int[buffer.slots().size()];
        int packed = 0;
        int[] open = null;
        for (ParameterBuffer.Slot s : buffer.slots()) {
            int g = s.requiresGrad() ? groupOf.applyAsInt(s) : -1;
            if (g < 0) {
                slotPacked[s.index()] = -1;
                open = null;
                continue;
            }
            slotPacked[s.index()] = packed;
            if (s.numel() == 0) continue;
            if (open != null && open[3] == g && open[0] + open[2] == s.offset()) {
                open[2] += s.numel();
            } else {
                open = new int[] {s.offset(), packed, s.numel(), g};
                runs.add(open);
            }
            packed += s.numel();
        }
        int n = runs.size();
        int[] bs = new int[n], ps = new int[n], len = new int[n], gr = new int[n];
        for (int r = 0; r < n; r++) {
            int[] run = runs.get(r);
            bs[r] = run[0];
            ps[r] = run[1];
            len[r] = run[2];
            gr[r] = run[3];
        }
        return new TrainableRuns(bs, ps, len, gr, slotPacked, packed);
    }

    public int runCount() {
        return length.length;
    }

    /** Floats in all runs (the packed size). */
    public int total() {
        return total;
    }

    public int bufferStart(int run) {
        return bufferStart[run];
    }

    public int packedStart(int run) {
        return packedStart[run];
    }

    public int length(int run) {
        return length[run];
    }

    public int group(int run) {
        return group[run];
    }

    /** Packed offset of a slot, or -1 when the slot is not in any run. */
    public int packedOffset(int slotIndex) {
        return packedOffsetOfSlot[slotIndex];
    }

    /** Receives one piece of a run: {@code n} floats at {@code bufferOffset} (flat arrays) and {@code packedOffset}. */
    @FunctionalInterface
    public interface PieceVisitor {
        void visit(int run, int bufferOffset, int packedOffset, int n);
    }

    /**
     * Calls {@code visitor} once per run overlapping the packed range {@code [from, to)}, with the
     * overlapping piece; parallel callers split the packed range and visit their own part.
     */
    public void forEachPiece(int from, int to, PieceVisitor visitor) {
        if (from >= to) return;
        for (int r = runContaining(from); r < length.length && packedStart[r] < to; r++) {
            int a = Math.max(from, packedStart[r]);
            int b = Math.min(to, packedStart[r] + length[r]);
            if (a < b) visitor.visit(r, bufferStart[r] + (a - packedStart[r]), a, b - a);
        }
    }

    /** The run containing packed index {@code p} (0 ≤ p < total). */
    public int runContaining(int p) {
        int lo = 0, hi = length.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (packedStart[mid] <= p) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}
