package ai.tarka.serve.model;

import ai.tarka.kernels.gemm.SgemmMicroKernels;

/**
 * A weight matrix {@code W[m×k]} (row-major, as Linear stores it: one row per output) laid out once, at load time,
 * for {@link PanelMatmul}: panel {@code j} holds outputs {@code [j·NR, j·NR + NR)} as {@code k} consecutive runs of
 * {@code NR} floats, entry {@code W[j·NR + c][p]} at {@code j·k·NR + p·NR + c}; the last panel is zero-padded. A
 * general GEMM packs its B operand on every call, which for the few token rows of a decode step costs as much memory
 * traffic as the multiply itself; packed once, every step streams each weight exactly once, in address order.
 */
public final class PanelWeights implements ProjectionWeights {
    /** Outputs per panel: three vectors, the register tile of {@link PanelMatmul}. */
    public static final int NR = SgemmMicroKernels.NR;

    private final int outputs, inputs;
    private final float[] panels;

    private PanelWeights(int outputs, int inputs, float[] panels) {
        this.outputs = outputs;
        this.inputs = inputs;
        this.panels = panels;
    }

    /** Packs {@code w[outputs × inputs]} (row-major). */
    public static PanelWeights pack(float[] w, int outputs, int inputs) {
        if (outputs <= 0 || inputs <= 0 || (long) outputs * inputs > w.length) {
            throw new IllegalArgumentException("PanelWeights.pack: a " + outputs + "x" + inputs + " matrix does not fit "
                    + "an array of " + w.length + " floats");
        }
        int numPanels = (outputs + NR - 1) / NR;
        long size = (long) numPanels * NR * inputs;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("PanelWeights.pack: " + outputs + "x" + inputs + " is too large for one array");
        }
        float[] panels = new float[(int) size];
        for (int o = 0; o < outputs; o++) {
            int base = (o / NR) * inputs * NR + o % NR;
            for (int p = 0; p < inputs; p++) panels[base + p * NR] = w[o * inputs + p];
        }
        return new PanelWeights(outputs, inputs, panels);
    }

    @Override
    public int outputs() {
        return outputs;
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public void multiply(float[] x, int n, float[] out) {
        PanelMatmul.multiply(x, n, this, out);
    }

    @Override
    public long heapBytes() {
        return 4L * panels.length;
    }

    public int numPanels() {
        return (outputs + NR - 1) / NR;
    }

    float[] panels() {
        return panels;
    }
}
