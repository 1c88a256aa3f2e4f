package ai.tarka.models;

/**
 * Position ids of a token batch and the packed-sequence segments they imply. A row whose positions restart
 * (any step other than +1) holds several samples back to back; attention must then stay inside each sample.
 */
final class Positions {
    private Positions() {}

    /** {@code positions} as given, or {@code 0..seqLen-1} shared by every row when null. */
    static int[] orDefault(int[] positions, int batch, int seqLen) {
        if (positions == null) {
            int[] p = new int[seqLen];
            for (int i = 0; i < seqLen; i++) p[i] = i;
            return p;
        }
        if (positions.length != seqLen && positions.length != batch * seqLen) {
            throw new IllegalArgumentException("forward: " + positions.length + " positions fit neither seqLen " + seqLen
                    + " nor batch*seqLen " + batch * seqLen);
        }
        return positions;
    }

    /**
     * Segment ids {@code [batch·seqLen]} when some row holds more than one sample (positions that do not
     * step by +1), else null (plain causal attention).
     */
    static int[] segments(int[] positions, int batch, int seqLen) {
        boolean perRow = positions.length == batch * seqLen;
        int rows = perRow ? batch : 1;
        boolean packed = false;
        for (int r = 0; r < rows && !packed; r++) {
            for (int t = 1; t < seqLen; t++) {
                if (positions[r * seqLen + t] != positions[r * seqLen + t - 1] + 1) {
                    packed = true;
                    break;
                }
            }
        }
        if (!packed) return null;
        int[] seg = new int[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            int base = perRow ? b * seqLen : 0, id = 0;
            for (int t = 0; t < seqLen; t++) {
                if (t > 0 && positions[base + t] != positions[base + t - 1] + 1) id++;
                seg[b * seqLen + t] = id;
            }
        }
        return seg;
    }
}
