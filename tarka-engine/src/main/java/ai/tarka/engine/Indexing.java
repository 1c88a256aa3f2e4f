package ai.tarka.engine;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.elementwise.ReduceKernels;
import java.util.Arrays;

/**
 * Index-driven operations: embedding lookup, concatenation, splitting and gather, each with its
 * gradient (scatter-adds for lookups, slices for concatenation). Index arrays are copied, so callers
 * may reuse theirs after the call.
 */
public final class Indexing {
    private Indexing() {}

    /** Rows copied per parallel chunk of an embedding lookup, at least. */
    private static final int ROW_GRAIN = 64;

    /**
     * Rows of {@code weight} [V, C] picked by {@code ids}, shaped {@code [idsShape..., C]}. An empty
     * {@code idsShape} means {@code [ids.length]}. Backward scatter-adds the gradient rows into
     * dWeight (repeated ids accumulate).
     */
    public static Tensor embedding(Tensor weight, int[] ids, int... idsShape) {
        int[] ws = weight.shape();
        int[] shapeOfIds = idsShape.length == 0 ? new int[] {ids.length} : idsShape.clone();
        if (ws.length != 2) throw new ShapeException("embedding", "weight must be [V, C]", ws, shapeOfIds);
        if (Shapes.numel("embedding", shapeOfIds) != ids.length) {
            throw new ShapeException("embedding", ids.length + " ids do not fill the ids shape", ws, shapeOfIds);
        }
        int vocab = ws[0], c = ws[1];
        int[] idc = ids.clone();
        for (int id : idc) {
            if (id < 0 || id >= vocab) {
                throw new ShapeException("embedding", "id " + id + " out of range for V = " + vocab, ws, shapeOfIds);
            }
        }
        int[] outShape = Arrays.copyOf(shapeOfIds, shapeOfIds.length + 1);
        outShape[shapeOfIds.length] = c;
        Tensor w = weight.detach().contiguous();
        float[] wd = w.data(), out = new float[Shapes.numel("embedding", outShape)];
        int wo = w.offset();
        ComputePool.shared().parallelFor(idc.length, ROW_GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) System.arraycopy(wd, wo + idc[i] * c, out, i * c, c);
        });
        return Tensor.record("embedding", Tensor.of(out, outShape), g -> {
            float[] gd = KernelArrays.dense(g);   // read only
            // a parameter with a preallocated gradient takes the rows directly: no dense [V, C] temporary
            Tensor direct = weight.isLeaf() && weight.grad() != null && weight.grad().isContiguous() ? weight.grad() : null;
            float[] dw = direct != null ? direct.data() : new float[vocab * c];
            int base = direct != null ? direct.offset() : 0;
            // sequential: repeated ids add into the same row, in a fixed order
            for (int i = 0; i < idc.length; i++) ReduceKernels.addInto(dw, base + idc[i] * c, gd, i * c, c);
            if (direct == null) weight.accumulateGradOwned(Tensor.of(dw, ws));
        }, weight);
    }

    /** Concatenation along {@code dim}; all other dimensions must agree. */
    public static Tensor concat(int dim, Tensor... ts) {
        if (ts.length == 0) throw new ShapeException("concat", "needs at least one tensor");
        int[] first = ts[0].shape();
        int r = first.length;
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) throw new ShapeException("concat", "dimension " + dim + " out of range for rank " + r, shapesOf(ts));
        int total = 0;
        for (Tensor t : ts) {
            int[] s = t.shape();
            boolean ok = s.length == r;
            for (int i = 0; ok && i < r; i++) ok = i == d || s[i] == first[i];
            if (!ok) throw new ShapeException("concat", "shapes differ outside dimension " + d, shapesOf(ts));
            total += s[d];
        }
        int[] outShape = first.clone();
        outShape[d] = total;
        Tensor out = Tensor.zeros(outShape);
        int[] starts = new int[ts.length];
        for (int i = 0, at = 0; i < ts.length; i++) {
            starts[i] = at;
            int len = ts[i].size(d);
            Strided.assign(out.slice(d, at, at + len), ts[i]);
            at += len;
        }
        return Tensor.record("concat", out, g -> {
            for (int i = 0; i < ts.length; i++) {
                if (ts[i].requiresGrad()) ts[i].accumulateGrad(g.slice(d, starts[i], starts[i] + ts[i].size(d)));
            }
        }, ts);
    }

    /**
     * Splits {@code x} along {@code dim} into views (sharing storage; gradients flow back through
     * each). With several sizes they must add up to the dimension; with one size the dimension is cut
     * into chunks of that size, the last possibly shorter (as {@code torch.split}).
     */
    public static Tensor[] split(Tensor x, int dim, int... sizes) {
        int[] shape = x.shape();
        int r = shape.length;
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) throw new ShapeException("split", "dimension " + dim + " out of range for rank " + r, shape, sizes);
        int len = shape[d];
        int[] parts;
        if (sizes.length == 1) {
            if (sizes[0] <= 0) throw new ShapeException("split", "chunk size must be positive", shape, sizes);
            int count = Math.max(1, (len + sizes[0] - 1) / sizes[0]);
            parts = new int[count];
            for (int i = 0; i < count; i++) parts[i] = Math.min(sizes[0], len - i * sizes[0]);
        } else {
            int sum = 0;
            for (int s : sizes) {
                if (s < 0) throw new ShapeException("split", "negative size", shape, sizes);
                sum += s;
            }
            if (sum != len) throw new ShapeException("split", "sizes add up to " + sum + ", not dimension " + d + " of size " + len, shape, sizes);
            parts = sizes.clone();
        }
        Tensor[] out = new Tensor[parts.length];
        for (int i = 0, at = 0; i < parts.length; i++) {
            out[i] = x.slice(d, at, at + parts[i]);
            at += parts[i];
        }
        return out;
    }

    /**
     * {@code torch.gather}: {@code out[i][j][k] = x[index[i][j][k]][j][k]} for dim 0 (and likewise for
     * other dims). {@code index} has the rank of {@code x} and, outside {@code dim}, sizes no larger
     * than x's; the output has the index's shape. An empty {@code indexShape} means
     * {@code [index.length]} for a 1-D x. Backward scatter-adds into dx.
     */
    public static Tensor gather(Tensor x, int dim, int[] index, int... indexShape) {
        int[] xs = x.shape();
        int r = xs.length;
        int[] is = indexShape.length == 0 && r == 1 ? new int[] {index.length} : indexShape.clone();
        if (is.length != r) throw new ShapeException("gather", "index rank " + is.length + " differs from tensor rank " + r, xs, is);
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) throw new ShapeException("gather", "dimension " + dim + " out of range for rank " + r, xs, is);
        for (int i = 0; i < r; i++) {
            if (i != d && is[i] > xs[i]) {
                throw new ShapeException("gather", "index size " + is[i] + " exceeds tensor size " + xs[i] + " in dimension " + i, xs, is);
            }
        }
        int n = Shapes.numel("gather", is);
        if (n != index.length) throw new ShapeException("gather", index.length + " indices do not fill the index shape", xs, is);
        int[] idx = index.clone();
        for (int v : idx) {
            if (v < 0 || v >= xs[d]) {
                throw new ShapeException("gather", "index " + v + " out of range for dimension " + d + " of size " + xs[d], xs, is);
            }
        }
        // storage offset in x (read through its strides) and in a contiguous dx, for every output element
        int[] srcPos = positions(is, x.strides(), x.offset(), d, idx);
        int[] gradPos = positions(is, Shapes.contiguousStrides(xs), 0, d, idx);
        float[] xd = x.data(), out = new float[n];
        for (int e = 0; e < n; e++) out[e] = xd[srcPos[e]];
        return Tensor.record("gather", Tensor.of(out, is), g -> {
            float[] gd = g.toArray();
            float[] dx = new float[x.numel()];
            for (int e = 0; e < n; e++) dx[gradPos[e]] += gd[e];
            x.accumulateGradOwned(Tensor.of(dx, xs));
        }, x);
    }

    /** For each element of an index of shape {@code is} (row-major), the offset it selects. */
    private static int[] positions(int[] is, int[] strides, int base, int d, int[] idx) {
        int n = idx.length, r = is.length;
        int[] out = new int[n];
        int[] at = new int[r];
        int p = base;
        for (int e = 0; e < n; e++) {
            out[e] = p + idx[e] * strides[d];
            for (int k = r - 1; k >= 0; k--) {
                if (k == d) {
                    if (++at[k] < is[k]) break;
                    at[k] = 0;
                    continue;
                }
                if (++at[k] < is[k]) {
                    p += strides[k];
                    break;
                }
                p -= (is[k] - 1) * strides[k];
                at[k] = 0;
            }
        }
        return out;
    }

    private static int[][] shapesOf(Tensor[] ts) {
        int[][] s = new int[ts.length][];
        for (int i = 0; i < ts.length; i++) s[i] = ts[i].shape();
        return s;
    }
}
