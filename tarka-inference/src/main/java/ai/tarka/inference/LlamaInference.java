package ai.tarka.inference;

import ai.tarka.kernels.ComputePool;
import ai.tarka.models.ModelConfig;
import java.util.List;

/**
 * The Llama-family forward pass for generation: no autograd, every buffer in a {@link Workspace}, one KV cache per
 * {@link SequenceState}. One primitive, {@link #step}, runs any set of tokens — a block of one prompt (prefill), one
 * token for each of several sequences (batched decode), or draft tokens to verify — through all layers at once, so
 * each weight is read once per step; logits are computed only for the rows asked for.
 *
 * <p>Not thread-safe: one step at a time (the step itself uses every thread of the compute pool).
 */
public final class LlamaInference implements AutoCloseable {
    private final LlamaWeights w;
    private final ModelConfig c;
    private final int context;
    private final Workspace ws;
    private final Projection proj;
    private final float[] cos, sin;
    private final int dim, headDim, heads, kvHeads, qDim, kvDim, hidden, vocab;
    private final float eps;
    private final SequenceState[] seqOf;
    private final int[] posOf;
    private final WeightMatrix[][] qkv, gateUp;
    private final float[][] qkvOut, gateUpOut;

    /**
     * @param context   positions each sequence may hold (at most the model's context length)
     * @param maxTokens token rows per step; longer prompts are processed in blocks of this many
     */
    public LlamaInference(LlamaWeights weights, int context, int maxTokens) {
        this.w = weights;
        this.c = weights.config();
        if (context < 1 || context > c.maxPositions())
            throw new IllegalArgumentException(weights.source() + ": context " + context + " outside [1, "
                    + c.maxPositions() + "] (the model's context length)");
        if (maxTokens < 1) throw new IllegalArgumentException("LlamaInference: maxTokens must be >= 1, got " + maxTokens);
        this.context = context;
        dim = c.hiddenSize();
        headDim = c.headDim();
        heads = c.numHeads();
        kvHeads = c.numKvHeads();
        qDim = heads * headDim;
        kvDim = kvHeads * headDim;
        hidden = c.intermediateSize();
        vocab = c.vocabSize();
        eps = (float) c.normEps();
        int threads = ComputePool.shared().threads();
        ws = new Workspace(c, maxTokens, context, threads);
        proj = new Projection(threads);
        seqOf = new SequenceState[maxTokens];
        qkv = new WeightMatrix[c.numLayers()][];
        gateUp = new WeightMatrix[c.numLayers()][];
        for (int l = 0; l < c.numLayers(); l++) {
            LayerWeights lw = weights.layers()[l];
            qkv[l] = new WeightMatrix[] {lw.wq(), lw.wk(), lw.wv()};
            gateUp[l] = new WeightMatrix[] {lw.gate(), lw.up()};
        }
        qkvOut = new float[][] {ws.q, ws.k, ws.v};
        gateUpOut = new float[][] {ws.gate, ws.up};
        posOf = new int[maxTokens];
        int half = headDim / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) inv[i] = Math.pow(c.ropeTheta(), -2.0 * i / headDim);
        inv = c.ropeScaling().scale(inv);
        cos = new float[context * half];
        sin = new float[context * half];
        for (int p = 0; p < context; p++) {
            for (int i = 0; i < half; i++) {
                double a = p * inv[i];
                cos[p * half + i] = (float) Math.cos(a);
                sin[p * half + i] = (float) Math.sin(a);
            }
        }
    }

    public ModelConfig config() {
        return c;
    }

    public LlamaWeights weights() {
        return w;
    }

    public int context() {
        return context;
    }

    public int maxTokens() {
        return ws.maxTokens;
    }

    public SequenceState newSequence() {
        return newSequence(KvPrecision.F32);
    }

    public SequenceState newSequence(KvPrecision precision) {
        return new SequenceState(new KvCache(precision, c.numLayers(), context, kvDim));
    }

    /**
     * Appends {@code tokens} to {@code seq} and returns the logits after the last one (a workspace array: valid until
     * the next call; row 0 holds them).
     */
    public float[] prefill(SequenceState seq, int[] tokens) {
        if (tokens.length == 0) throw new IllegalArgumentException("prefill: no tokens");
        checkRoom(seq, tokens.length);
        int[] one = new int[1];
        for (int start = 0; start < tokens.length; start += ws.maxTokens) {
            int n = Math.min(ws.maxTokens, tokens.length - start);
            SequenceState[] seqs = new SequenceState[n];
            java.util.Arrays.fill(seqs, seq);
            int[] chunk = java.util.Arrays.copyOfRange(tokens, start, start + n);
            boolean last = start + n == tokens.length;
            one[0] = n - 1;
            step(seqs, chunk, n, last ? one : new int[0], last ? 1 : 0);
        }
        return ws.logits;
    }

    /**
     * One token for each sequence (batched decode): returns logits {@code [seqs.size(), vocab]} row-major (workspace
     * array, valid until the next call).
     */
    public float[] forwardBatch(List<SequenceState> seqs, int[] tokens) {
        int n = seqs.size();
        if (tokens.length != n)
            throw new IllegalArgumentException("forwardBatch: " + n + " sequences but " + tokens.length + " tokens");
        SequenceState[] arr = seqs.toArray(new SequenceState[0]);
        for (SequenceState s : arr) checkRoom(s, 1);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        step(arr, tokens, n, rows, n);
        return ws.logits;
    }

    /**
     * Runs {@code tokens[0..n)} (token i appended to {@code seqs[i]}; a sequence may appear several times, its tokens
     * in order) and writes the logits of rows {@code logitRows[0..logitCount)} to {@link #logits()} rows 0, 1, ...
     */
    public void step(SequenceState[] seqs, int[] tokens, int n, int[] logitRows, int logitCount) {
        if (n < 1 || n > ws.maxTokens)
            throw new IllegalArgumentException("step: " + n + " tokens, the workspace holds 1.." + ws.maxTokens);
        for (int i = 0; i < n; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab)
                throw new IllegalArgumentException("step: token id " + tokens[i] + " outside the vocabulary of " + vocab);
            seqOf[i] = seqs[i];
        }
        // positions: each sequence's tokens follow its cached length in batch order
        for (int i = 0; i < n; i++) {
            int before = 0;
            for (int j = 0; j < i; j++) if (seqOf[j] == seqOf[i]) before++;
            posOf[i] = seqOf[i].length() + before;
            if (posOf[i] >= context)
                throw new IllegalArgumentException("step: position " + posOf[i] + " is past the context of " + context + " tokens");
        }
        for (int i = 0; i < n; i++) w.embedding().dequantizeRows(tokens[i], tokens[i] + 1, ws.x, i * dim);
        for (int l = 0; l < c.numLayers(); l++) layer(l, n);
        for (int r = 0; r < logitCount; r++) {
            int row = logitRows[r];
            Dots.rmsNorm(ws.x, row * dim, w.finalNorm(), eps, ws.logitsIn, r * dim, dim);
        }
        if (logitCount > 0) proj.apply(w.output(), ws.logitsIn, logitCount, ws.logits);
        // advance once per token, after all layers used the old lengths
        for (int i = 0; i < n; i++) seqOf[i].advance(1);
        java.util.Arrays.fill(seqOf, 0, n, null);
    }

    /** The logits written by the last step, {@code [logitCount, vocab]}. */
    public float[] logits() {
        return ws.logits;
    }

    private void layer(int l, int n) {
        LayerWeights lw = w.layers()[l];
        for (int i = 0; i < n; i++) Dots.rmsNorm(ws.x, i * dim, lw.attnNorm(), eps, ws.xb, i * dim, dim);
        proj.applyAll(qkv[l], ws.xb, n, qkvOut);
        for (int i = 0; i < n; i++) {
            if (lw.qBias() != null) {
                Dots.axpy(1f, lw.qBias(), 0, ws.q, i * qDim, qDim);
                Dots.axpy(1f, lw.kBias(), 0, ws.k, i * kvDim, kvDim);
                Dots.axpy(1f, lw.vBias(), 0, ws.v, i * kvDim, kvDim);
            }
            rope(ws.q, i * qDim, heads, posOf[i]);
            rope(ws.k, i * kvDim, kvHeads, posOf[i]);
            seqOf[i].cache().write(l, posOf[i], ws.k, i * kvDim, ws.v, i * kvDim);
        }
        attention(l, n);
        proj.apply(lw.wo(), ws.att, n, ws.proj);
        for (int i = 0; i < n * dim; i++) ws.x[i] += ws.proj[i];
        for (int i = 0; i < n; i++) Dots.rmsNorm(ws.x, i * dim, lw.ffnNorm(), eps, ws.xb, i * dim, dim);
        proj.applyAll(gateUp[l], ws.xb, n, gateUpOut);
        float[] g = ws.gate, u = ws.up;
        for (int i = 0; i < n * hidden; i++) {
            float a = g[i];
            g[i] = a / (1f + (float) Math.exp(-a)) * u[i];
        }
        proj.apply(lw.down(), ws.gate, n, ws.proj);
        for (int i = 0; i < n * dim; i++) ws.x[i] += ws.proj[i];
    }

    private void rope(float[] v, int off, int nHeads, int pos) {
        int half = headDim / 2, t = pos * half;
        boolean pairs = w.rope() == RopeLayout.ADJACENT_PAIRS;
        for (int h = 0; h < nHeads; h++) {
            int b = off + h * headDim;
            for (int i = 0; i < half; i++) {
                int i0 = pairs ? b + 2 * i : b + i, i1 = pairs ? i0 + 1 : i0 + half;
                float x0 = v[i0], x1 = v[i1], co = cos[t + i], si = sin[t + i];
                v[i0] = x0 * co - x1 * si;
                v[i1] = x0 * si + x1 * co;
            }
        }
    }

    /** Causal attention of every (token, head) pair against its sequence's cache, split statically over threads. */
    private void attention(int l, int n) {
        int pairs = n * heads, group = heads / kvHeads, window = c.slidingWindow();
        float scale = (float) (1.0 / Math.sqrt(headDim));
        ComputePool pool = ComputePool.shared();
        pool.runWorkers(Math.min(pool.threads(), pairs), (wk, wsn) -> {
            float[] sc = ws.scores[wk];
            int p0 = (int) ((long) pairs * wk / wsn), p1 = (int) ((long) pairs * (wk + 1) / wsn);
            for (int p = p0; p < p1; p++) {
                int i = p / heads, h = p % heads, pos = posOf[i];
                int from = window > 0 ? Math.max(0, pos - window + 1) : 0, to = pos + 1;
                KvCache kv = seqOf[i].cache();
                int headOff = (h / group) * headDim;
                kv.scores(l, headOff, headDim, ws.q, i * qDim + h * headDim, from, to, scale, sc);
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < to - from; j++) max = Math.max(max, sc[j]);
                float sum = 0;
                for (int j = 0; j < to - from; j++) {
                    float e = (float) Math.exp(sc[j] - max);
                    sc[j] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                for (int j = 0; j < to - from; j++) sc[j] *= inv;
                kv.mix(l, headOff, headDim, sc, from, to, ws.att, i * qDim + h * headDim);
            }
        });
    }

    private void checkRoom(SequenceState s, int tokens) {
        if (tokens > s.remaining())
            throw new IllegalArgumentException(w.source() + ": " + tokens + " more tokens do not fit: the sequence holds "
                    + s.length() + " of its " + context + "-token context");
    }

    @Override
    public void close() {
        w.close();
    }
}
