package ai.tarka.finetune.data;

import ai.tarka.train.MicroBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Fixed-length training rows built from tokenized samples: with packing, samples are placed by best-fit decreasing
 * (longest first, each into the fullest row it still fits) and every sample's positions restart at 0, which is
 * what keeps attention inside each sample in the models' packed forward; without packing, one sample per row.
 * Samples longer than a row are truncated; the rest of a row is padding (never trained, positions restarting so it
 * forms a segment of its own).
 *
 * <p>Each row stores inputs, next-token targets ({@link MicroBatch#IGNORE_INDEX} where the next token is not
 * trained, at a sample's last token and on padding) and positions.
 */
public final class PackedRows {
    private final int seqLen;
    private final List<int[]> inputs = new ArrayList<>();
    private final List<int[]> targets = new ArrayList<>();
    private final List<int[]> positions = new ArrayList<>();
    private final List<int[]> sampleIds = new ArrayList<>();
    private int truncated;

    private PackedRows(int seqLen) {
        this.seqLen = seqLen;
    }

    /**
     * @param padId token id written into padding (any valid id: it is never a target and no sample attends to it)
     */
    public static PackedRows build(List<TokenizedSample> samples, int seqLen, boolean packing, int padId) {
        if (seqLen < 2) throw new IllegalArgumentException("PackedRows: sequence_len must be at least 2, got " + seqLen);
        PackedRows rows = new PackedRows(seqLen);
        List<List<Integer>> layout = packing ? bestFitDecreasing(samples, seqLen) : onePerRow(samples.size());
        for (List<Integer> row : layout) rows.addRow(samples, row, padId);
        return rows;
    }

    /** Rows as lists of sample indices: longest sample first, into the row with the least room that still fits it. */
    static List<List<Integer>> bestFitDecreasing(List<TokenizedSample> samples, int seqLen) {
        Integer[] order = new Integer[samples.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -Math.min(seqLen, samples.get(i).length())).thenComparingInt(i -> i));
        List<List<Integer>> rows = new ArrayList<>();
        TreeMap<Integer, ArrayDeque<Integer>> byRoom = new TreeMap<>();
        for (int s : order) {
            int len = Math.min(seqLen, samples.get(s).length());
            Integer room = byRoom.ceilingKey(len);
            int row;
            if (room == null) {
                row = rows.size();
                rows.add(new ArrayList<>());
                room = seqLen;
            } else {
                ArrayDeque<Integer> q = byRoom.get(room);
                row = q.pollFirst();
                if (q.isEmpty()) byRoom.remove(room);
            }
            rows.get(row).add(s);
            int left = room - len;
            if (left > 0) byRoom.computeIfAbsent(left, k -> new ArrayDeque<>()).addLast(row);
        }
        return rows;
    }

    private static List<List<Integer>> onePerRow(int n) {
        List<List<Integer>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rows.add(List.of(i));
        return rows;
    }

    private void addRow(List<TokenizedSample> samples, List<Integer> members, int padId) {
        int[] in = new int[seqLen], tg = new int[seqLen], pos = new int[seqLen], ids = new int[seqLen];
        Arrays.fill(tg, MicroBatch.IGNORE_INDEX);
        int o = 0;
        for (int s : members) {
            TokenizedSample sample = samples.get(s);
            if (sample.length() > seqLen) truncated++;
            TokenizedSample t = sample.truncate(seqLen);
            int len = t.length();
            for (int i = 0; i < len; i++) {
                in[o + i] = t.tokens()[i];
                if (i + 1 < len && t.trained()[i + 1]) tg[o + i] = t.tokens()[i + 1];
                pos[o + i] = i;
                ids[o + i] = s;
            }
            o += len;
        }
        for (int i = o; i < seqLen; i++) {
            in[i] = padId;
            pos[i] = i - o;
            ids[i] = -1;
        }
        inputs.add(in);
        targets.add(tg);
        positions.add(pos);
        sampleIds.add(ids);
    }

    public int size() {
        return inputs.size();
    }

    public int seqLen() {
        return seqLen;
    }

    public int[] inputs(int row) {
        return inputs.get(row);
    }

    public int[] targets(int row) {
        return targets.get(row);
    }

    public int[] positions(int row) {
        return positions.get(row);
    }

    /** Which sample each token of the row came from (-1 on padding). */
    public int[] sampleIds(int row) {
        return sampleIds.get(row);
    }

    /** Samples cut to the row length. */
    public int truncatedSamples() {
        return truncated;
    }

    /** Fraction of row tokens that hold sample tokens (not padding). */
    public double fill() {
        long used = 0;
        for (int[] ids : sampleIds) for (int id : ids) if (id >= 0) used++;
        return size() == 0 ? 0 : used / (double) ((long) size() * seqLen);
    }

    /** Stacks rows into a micro-batch; a row index of -1 adds an all-padding row (no target). */
    public MicroBatch batch(int[] rowIndices, int padId) {
        int b = rowIndices.length;
        int[] in = new int[b * seqLen], tg = new int[b * seqLen], pos = new int[b * seqLen];
        for (int r = 0; r < b; r++) {
            int row = rowIndices[r];
            if (row < 0) {
                Arrays.fill(in, r * seqLen, (r + 1) * seqLen, padId);
                Arrays.fill(tg, r * seqLen, (r + 1) * seqLen, MicroBatch.IGNORE_INDEX);
                for (int i = 0; i < seqLen; i++) pos[r * seqLen + i] = i;
                continue;
            }
            System.arraycopy(inputs.get(row), 0, in, r * seqLen, seqLen);
            System.arraycopy(targets.get(row), 0, tg, r * seqLen, seqLen);
            System.arraycopy(positions.get(row), 0, pos, r * seqLen, seqLen);
        }
        return new MicroBatch(in, tg, b, seqLen, pos);
    }
}
