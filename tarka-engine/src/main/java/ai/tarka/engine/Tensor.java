package ai.tarka.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A float32 tensor: a view (shape, strides, offset) over a float storage array, with reverse-mode
 * autograd. Views (reshape of contiguous data, transpose, permute, slice, expand) share storage;
 * operations produce new contiguous tensors. Shapes are row-major; a 0-d tensor (shape {@code []})
 * holds one scalar.
 *
 * <p>Kernels read {@link #data()} directly, so operations call {@link #contiguous()} first unless
 * they handle strides themselves (matmul handles transposed operands without copying).
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int[] strides;
    private final int numel;

    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private String name;
    private boolean retainGrad;
    /**
     * Set by the backward pass on the gradient it hands to a node when that gradient's storage belongs to the node's
     * output alone and is dropped right after the node (the output does not retain its gradient): the node may then
     * give the storage itself to one input ({@link #accumulateGradDonated}) instead of a copy. Cleared once given.
     */
    private boolean donatable;

    // ---------------------------------------------------------------- construction

    /** Wraps storage as a view. Most code uses the factories below. */
    public Tensor(float[] data, int offset, int[] shape, int[] strides) {
        if (shape.length != strides.length) {
            throw new ShapeException("Tensor", "shape and strides differ in rank", shape, strides);
        }
        this.data = data;
        this.offset = offset;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.numel = Shapes.numel("Tensor", shape);
        if (numel > 0) {
            long lo = offset, hi = offset;
            for (int i = 0; i < shape.length; i++) {
                long span = (long) (shape[i] - 1) * strides[i];
                if (span < 0) lo += span; else hi += span;
            }
            if (lo < 0 || hi >= data.length) {
                throw new ShapeException("Tensor", "view [offset " + offset + "] reaches outside storage of "
                        + data.length + " floats", shape, strides);
            }
        }
    }

    /** A contiguous tensor over {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int n = Shapes.numel("Tensor.of", shape);
        if (n != data.length) {
            throw new ShapeException("Tensor.of", data.length + " values do not fill shape", shape);
        }
        return new Tensor(data, 0, shape, Shapes.contiguousStrides(shape));
    }

    public static Tensor zeros(int... shape) {
        return of(new float[Shapes.numel("Tensor.zeros", shape)], shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shapes.numel("Tensor.full", shape)];
        Arrays.fill(d, value);
        return of(d, shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /** Standard normal values times {@code std}, from a seeded generator. */
    public static Tensor randn(Random rng, float std, int... shape) {
        float[] d = new float[Shapes.numel("Tensor.randn", shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) rng.nextGaussian() * std;
        return of(d, shape);
    }

    /** Uniform values in {@code [lo, hi)}. */
    public static Tensor rand(Random rng, float lo, float hi, int... shape) {
        float[] d = new float[Shapes.numel("Tensor.rand", shape)];
        for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rng.nextFloat();
        return of(d, shape);
    }

    public static Tensor arange(int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return of(d, n);
    }

    // ---------------------------------------------------------------- geometry

    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code d}; negative counts from the end. */
    public int size(int d) {
        return shape[Shapes.dim("size", d, shape.length)];
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return numel;
    }

    public int[] strides() {
        return strides.clone();
    }

    public int stride(int d) {
        return strides[Shapes.dim("stride", d, shape.length)];
    }

    /** The storage array (shared with every view of it). */
    public float[] data() {
        return data;
    }

    /** Where element {@code [0, ..., 0]} lives in {@link #data()}. */
    public int offset() {
        return offset;
    }

    public boolean isContiguous() {
        int expect = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expect) return false;
            expect *= shape[i];
        }
        return true;
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    // ---------------------------------------------------------------- element access (not for hot loops)

    public float get(int... index) {
        return data[flatIndex("get", index)];
    }

    public void set(float value, int... index) {
        data[flatIndex("set", index)] = value;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel != 1) throw new ShapeException("item", "tensor has " + numel + " elements, expected 1", shape);
        return data[offset];
    }

    private int flatIndex(String op, int[] index) {
        if (index.length != shape.length) {
            throw new ShapeException(op, "index of rank " + index.length + " for a tensor of rank " + shape.length, shape, index);
        }
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new ShapeException(op, "index " + index[i] + " out of range in dimension " + i, shape, index);
            }
            p += index[i] * strides[i];
        }
        return p;
    }

    /** A new array with the elements in row-major order. */
    public float[] toArray() {
        float[] out = new float[numel];
        Strided.copy(this, out, 0);
        return out;
    }

    // ---------------------------------------------------------------- autograd state

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as trainable (its gradient is accumulated by {@link #backward()}). */
    public Tensor requiresGrad(boolean on) {
        if (gradFn != null && !on) {
            throw new IllegalStateException("requiresGrad(false) on a non-leaf tensor made by " + gradFn.op + "; use detach()");
        }
        this.requiresGrad = on;
        return this;
    }

    /** The accumulated gradient, or null before any backward pass reached this tensor. */
    public Tensor grad() {
        return grad;
    }

    /**
     * Gives this leaf a preallocated gradient buffer (a view into a flat gradient array), so that
     * backward accumulates straight into it.
     */
    public void setGrad(Tensor g) {
        if (g != null && !sameShape(g)) throw new ShapeException("setGrad", "gradient shape differs", shape, g.shape);
        this.grad = g;
    }

    /** Zeroes the gradient in place (keeps a preallocated buffer). */
    public void zeroGrad() {
        if (grad != null) Strided.fill(grad, 0f);
    }

    /**
     * Keep the gradient of this non-leaf tensor after backward (for inspection and tests). Like a
     * leaf's, it accumulates over backward passes; each pass propagates only its own share.
     */
    public Tensor retainGrad() {
        this.retainGrad = true;
        return this;
    }

    boolean retainsGrad() {
        return retainGrad;
    }

    public Node gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    public String name() {
        return name;
    }

    public Tensor name(String n) {
        this.name = n;
        return this;
    }

    /** Same storage and view, cut from the graph. */
    public Tensor detach() {
        return new Tensor(data, offset, shape, strides);
    }

    /**
     * Records {@code result} as the output of {@code op} on {@code inputs} when grad mode is on and
     * any input needs a gradient. Returns {@code result}.
     */
    public static Tensor record(String op, Tensor result, Node.Backward backward, Tensor... inputs) {
        if (!GradMode.isEnabled()) return result;
        boolean any = false;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad) {
                any = true;
                break;
            }
        }
        if (!any) return result;
        result.requiresGrad = true;
        result.gradFn = new Node(op, inputs, backward);
        return result;
    }

    /**
     * Adds {@code g} (same shape) to this tensor's gradient; used by backward functions. The first
     * gradient is copied, because {@code g} may share storage with other gradients (the incoming
     * gradient itself, a view of it, or a tensor also given to another input).
     */
    public void accumulateGrad(Tensor g) {
        if (!requiresGrad) return;
        checkGradShape(g);
        if (grad == null) {
            grad = Tensor.of(g.toArray(), shape);
        } else {
            Strided.addInto(grad, g);
        }
    }

    /**
     * {@link #accumulateGrad} for a gradient the caller hands over: {@code g} must be a tensor the
     * backward function has just allocated and that nothing else references afterwards (not the
     * incoming gradient or a view of it, not also given to another input, not kept by the caller).
     * When this tensor has no gradient yet it adopts g's storage instead of copying it; otherwise g is
     * added into the existing gradient, so a preallocated gradient buffer ({@link #setGrad}) is never
     * re-pointed. A {@code g} that is not a dense array of exactly its elements from index 0 is copied.
     */
    public void accumulateGradOwned(Tensor g) {
        if (!requiresGrad) return;
        checkGradShape(g);
        if (grad == null && g.offset == 0 && g.data.length == numel && g.isContiguous()) {
            // a fresh view object: the caller's tensor keeps no claim on, or autograd state about, the gradient
            grad = new Tensor(g.data, 0, shape, Shapes.contiguousStrides(shape));
        } else {
            accumulateGrad(g);
        }
    }

    /**
     * {@link #accumulateGrad} of {@code g}, a view of {@code gradOutput}'s storage with this tensor's shape, inside a
     * backward function. When the backward pass marked {@code gradOutput} as donatable, this tensor has no gradient
     * yet and {@code g} covers that whole storage densely, the storage becomes this tensor's gradient without a copy;
     * at most one input receives it. Otherwise {@code g} is copied or added as usual.
     */
    public void accumulateGradDonated(Tensor gradOutput, Tensor g) {
        if (!requiresGrad) return;
        checkGradShape(g);
        if (gradOutput.donatable && grad == null && g.data == gradOutput.data && g.offset == 0
                && g.data.length == numel && g.isContiguous()) {
            gradOutput.donatable = false;
            grad = new Tensor(g.data, 0, shape, Shapes.contiguousStrides(shape));
        } else {
            accumulateGrad(g);
        }
    }

    private void checkGradShape(Tensor g) {
        if (!Arrays.equals(shape, g.shape)) {
            throw new ShapeException("accumulateGrad" + (gradFn != null ? " from " + gradFn.op : ""),
                    "gradient shape differs from tensor shape", shape, g.shape);
        }
    }

    /** Backpropagates from a scalar (one-element) tensor with seed gradient 1. */
    public void backward() {
        if (numel != 1) {
            throw new ShapeException("backward", "implicit gradient needs a one-element tensor; pass a gradient", shape);
        }
        if (!requiresGrad) throw new IllegalStateException("backward on a tensor that does not require grad");
        Autograd.run(this, Tensor.full(1f, shape), true);
    }

    /** Backpropagates with the given gradient of this tensor (copied: the caller keeps {@code gradOutput}). */
    public void backward(Tensor gradOutput) {
        if (!requiresGrad) throw new IllegalStateException("backward on a tensor that does not require grad");
        Autograd.run(this, gradOutput, false);
    }

    // package access for Autograd
    Tensor gradInternal() {
        return grad;
    }

    void clearNonLeafGrad() {
        if (gradFn != null && !retainGrad) grad = null;
    }

    // ---------------------------------------------------------------- views (share storage)

    /** Same data with a new shape; one dimension may be -1. Copies only when not contiguous. */
    public Tensor reshape(int... newShape) {
        int[] ns = Shapes.inferReshape("reshape", shape, newShape);
        Tensor src = isContiguous() ? this : contiguous();
        Tensor out = new Tensor(src.data, src.offset, ns, Shapes.contiguousStrides(ns));
        int[] inShape = shape;
        return record("reshape", out, g -> src.accumulateGradDonated(g, g.reshape(inShape)), src);
    }

    /** Alias of {@link #reshape}. */
    public Tensor view(int... newShape) {
        return reshape(newShape);
    }

    public Tensor transpose(int d0, int d1) {
        int a = Shapes.dim("transpose", d0, shape.length), b = Shapes.dim("transpose", d1, shape.length);
        int[] ns = shape.clone(), st = strides.clone();
        ns[a] = shape[b]; ns[b] = shape[a];
        st[a] = strides[b]; st[b] = strides[a];
        Tensor out = new Tensor(data, offset, ns, st);
        return record("transpose", out, g -> accumulateGrad(g.transpose(a, b)), this);
    }

    /** Swaps the last two dimensions. */
    public Tensor t() {
        return transpose(-2, -1);
    }

    public Tensor permute(int... dims) {
        if (dims.length != shape.length) throw new ShapeException("permute", "needs one entry per dimension", shape, dims);
        int[] ns = new int[dims.length], st = new int[dims.length], inv = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.dim("permute", dims[i], shape.length);
            if (seen[d]) throw new ShapeException("permute", "dimension " + d + " repeated", shape, dims);
            seen[d] = true;
            ns[i] = shape[d];
            st[i] = strides[d];
            inv[d] = i;
        }
        Tensor out = new Tensor(data, offset, ns, st);
        return record("permute", out, g -> accumulateGrad(g.permute(inv)), this);
    }

    /** Elements {@code [start, end)} of dimension {@code d}. */
    public Tensor slice(int d, int start, int end) {
        int a = Shapes.dim("slice", d, shape.length);
        if (start < 0 || end > shape[a] || start > end) {
            throw new ShapeException("slice", "range [" + start + ", " + end + ") outside dimension " + a, shape);
        }
        int[] ns = shape.clone();
        ns[a] = end - start;
        Tensor out = new Tensor(data, offset + start * strides[a], ns, strides);
        int[] inShape = shape;
        return record("slice", out, g -> {
            if (!requiresGrad) return;
            if (grad != null) {
                // sibling slices (split) add into the one gradient instead of each making a zero-padded copy
                Strided.addInto(grad.slice(a, start, end), g);
                return;
            }
            Tensor full = Tensor.zeros(inShape);
            Strided.addInto(full.slice(a, start, end), g);
            accumulateGradOwned(full);
        }, this);
    }

    /** Index {@code i} of dimension {@code d}, removing that dimension. */
    public Tensor select(int d, int i) {
        int a = Shapes.dim("select", d, shape.length);
        return slice(a, i, i + 1).squeeze(a);
    }

    public Tensor unsqueeze(int d) {
        int a = d < 0 ? d + shape.length + 1 : d;
        if (a < 0 || a > shape.length) throw new ShapeException("unsqueeze", "dimension " + d + " out of range", shape);
        int[] ns = new int[shape.length + 1], st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) {
            if (i == a) {
                ns[i] = 1;
                st[i] = j < shape.length ? strides[j] * shape[j] : 1;
            } else {
                ns[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        Tensor out = new Tensor(data, offset, ns, st);
        int[] inShape = shape;
        return record("unsqueeze", out, g -> accumulateGradDonated(g, g.reshape(inShape)), this);
    }

    public Tensor squeeze(int d) {
        int a = Shapes.dim("squeeze", d, shape.length);
        if (shape[a] != 1) throw new ShapeException("squeeze", "dimension " + a + " has size " + shape[a] + ", not 1", shape);
        int[] ns = new int[shape.length - 1], st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == a) continue;
            ns[j] = shape[i];
            st[j++] = strides[i];
        }
        Tensor out = new Tensor(data, offset, ns, st);
        int[] inShape = shape;
        return record("squeeze", out, g -> accumulateGradDonated(g, g.reshape(inShape)), this);
    }

    /** Broadcasts to {@code target} (numpy rules) without copying: broadcast dimensions get stride 0. */
    public Tensor expand(int... target) {
        if (target.length < shape.length) throw new ShapeException("expand", "target has lower rank", shape, target);
        int[] st = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            int j = i - lead;
            if (j < 0) {
                st[i] = 0;
            } else if (shape[j] == target[i]) {
                st[i] = strides[j];
            } else if (shape[j] == 1) {
                st[i] = 0;
            } else {
                throw new ShapeException("expand", "dimension " + j + " of size " + shape[j] + " cannot broadcast to " + target[i], shape, target);
            }
        }
        Tensor out = new Tensor(data, offset, target, st);
        int[] inShape = shape;
        return record("expand", out, g -> Reductions.accumulateSummed(this, g, inShape), this);
    }

    /** This tensor if contiguous, else a contiguous copy (gradient flows through). */
    public Tensor contiguous() {
        if (isContiguous()) return this;
        Tensor out = Tensor.of(toArray(), shape);
        return record("contiguous", out, g -> accumulateGradDonated(g, g), this);
    }

    /** A contiguous copy that does not share storage (gradient flows through). */
    public Tensor copy() {
        Tensor out = Tensor.of(toArray(), shape);
        return record("copy", out, g -> accumulateGradDonated(g, g), this);
    }

    // ---------------------------------------------------------------- fluent operations (see the op classes)

    public Tensor add(Tensor o) { return Elementwise.add(this, o); }
    public Tensor sub(Tensor o) { return Elementwise.sub(this, o); }
    public Tensor mul(Tensor o) { return Elementwise.mul(this, o); }
    public Tensor div(Tensor o) { return Elementwise.div(this, o); }
    public Tensor add(float s) { return Elementwise.addScalar(this, s); }
    public Tensor mul(float s) { return Elementwise.mulScalar(this, s); }
    public Tensor neg() { return Elementwise.mulScalar(this, -1f); }
    public Tensor exp() { return Elementwise.exp(this); }
    public Tensor log() { return Elementwise.log(this); }
    public Tensor sqrt() { return Elementwise.sqrt(this); }
    public Tensor pow(float p) { return Elementwise.pow(this, p); }
    public Tensor tanh() { return Elementwise.tanh(this); }

    public Tensor sum() { return Reductions.sum(this); }
    public Tensor sum(int dim, boolean keepDim) { return Reductions.sum(this, dim, keepDim); }
    public Tensor mean() { return Reductions.mean(this); }
    public Tensor mean(int dim, boolean keepDim) { return Reductions.mean(this, dim, keepDim); }
    public Tensor max(int dim, boolean keepDim) { return Reductions.max(this, dim, keepDim); }
    public Tensor max() { return Reductions.max(this); }

    public Tensor matmul(Tensor o) { return MatMul.matmul(this, o); }

    public Tensor gelu() { return Activations.gelu(this); }
    public Tensor silu() { return Activations.silu(this); }
    public Tensor softmax(int dim) { return Activations.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return Activations.logSoftmax(this, dim); }

    // ---------------------------------------------------------------- graph traversal

    /** Runs reverse-mode differentiation from a root over the recorded graph. */
    static final class Autograd {
        private Autograd() {}

        /** {@code seedOwned}: the seed was made for this pass and may become the root's gradient without a copy. */
        static void run(Tensor root, Tensor seed, boolean seedOwned) {
            if (!Arrays.equals(root.shape, seed.shape)) {
                throw new ShapeException("backward", "seed gradient shape differs from output", root.shape, seed.shape);
            }
            if (root.gradFn == null) {
                if (seedOwned) root.accumulateGradOwned(seed);
                else root.accumulateGrad(seed);
                return;
            }
            List<Tensor> order = topologicalOrder(root);
            // Intermediate gradients hold this pass's share only, because that is what each node
            // propagates: what retained tensors kept from earlier passes is set aside and added back
            // at the end (anything else left over, e.g. by a pass that threw, is dropped).
            IdentityHashMap<Tensor, Tensor> earlier = new IdentityHashMap<>();
            for (Tensor t : order) {
                if (t.gradFn == null) continue;
                if (t.retainGrad && t.grad != null) earlier.put(t, t.grad);
                t.grad = null;
            }
            if (seedOwned) root.accumulateGradOwned(seed);
            else root.accumulateGrad(seed);
            try (var ignored = GradMode.disable()) {
                for (int i = order.size() - 1; i >= 0; i--) {
                    Tensor t = order.get(i);
                    Node n = t.gradFn;
                    Tensor g = t.grad;
                    if (n == null || g == null) continue;
                    g.donatable = !t.retainGrad;
                    n.backward.apply(g);
                    if (CHECK_FINITE) {
                        for (Tensor in : n.inputs) {
                            if (in != null && in.requiresGrad) checkFinite(n.op, in, g);
                        }
                    }
                    t.clearNonLeafGrad();
                }
            } finally {
                for (Map.Entry<Tensor, Tensor> e : earlier.entrySet()) {
                    Tensor t = e.getKey(), kept = e.getValue();
                    if (t.grad != null) Strided.addInto(kept, t.grad);
                    t.grad = kept;
                }
            }
        }

        /** Throws when the gradient of {@code in} holds a NaN or infinity after the backward of {@code op}. */
        static void checkFinite(String op, Tensor in, Tensor gradOutput) {
            if (in.grad != null && !Strided.allFinite(in.grad)) {
                throw new NonFiniteException("backward of " + op + ": non-finite gradient for input of shape "
                        + Arrays.toString(in.shape) + (in.name != null ? " (" + in.name + ")" : "")
                        + " from output gradient of shape " + Arrays.toString(gradOutput.shape));
            }
        }

        /** Nodes reachable from root, each after all its inputs (iterative DFS; graphs can be deep). */
        private static List<Tensor> topologicalOrder(Tensor root) {
            List<Tensor> order = new ArrayList<>();
            IdentityHashMap<Tensor, Boolean> visited = new IdentityHashMap<>();
            ArrayDeque<Object[]> stack = new ArrayDeque<>();
            stack.push(new Object[] {root, 0});
            visited.put(root, Boolean.TRUE);
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Tensor t = (Tensor) top[0];
                int next = (Integer) top[1];
                Tensor[] ins = t.gradFn == null ? new Tensor[0] : t.gradFn.inputs;
                if (next < ins.length) {
                    top[1] = next + 1;
                    Tensor in = ins[next];
                    if (in != null && in.requiresGrad && visited.put(in, Boolean.TRUE) == null) {
                        stack.push(new Object[] {in, 0});
                    }
                } else {
                    stack.pop();
                    order.add(t);
                }
            }
            return order;
        }

        /** {@code -Dtarka.autograd.checkFinite=false} turns off the per-op NaN/Inf check in backward. */
        static final boolean CHECK_FINITE = Boolean.parseBoolean(System.getProperty("tarka.autograd.checkFinite", "true"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape));
        if (gradFn != null) sb.append(" grad_fn=").append(gradFn.op);
        else if (requiresGrad) sb.append(" requires_grad");
        if (numel <= 16) sb.append(' ').append(Arrays.toString(toArray()));
        return sb.toString();
    }
}
