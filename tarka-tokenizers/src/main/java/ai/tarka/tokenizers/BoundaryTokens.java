package ai.tarka.tokenizers;

import java.util.Arrays;

/**
 * The tokens a tokenizer's own configuration puts around encoded text when special tokens are added: BOS (Llama,
 * Phi-3), [CLS] ... [SEP] (BERT), or nothing (GPT-2, Qwen). Read from Hugging Face's {@code post_processor}
 * ({@code TemplateProcessing}) or {@code tokenizer_config.json} ({@code add_bos_token}/{@code add_eos_token}), or from
 * GGUF's {@code tokenizer.ggml.add_bos_token}/{@code add_eos_token}.
 *
 * <p>A prefix already at the start of the ids (text that begins with the BOS token's text, e.g. a rendered chat
 * template) is not added a second time: a double BOS silently degrades a model, so it is avoided and a warning is
 * logged. A suffix already at the end is likewise not repeated.
 */
public record BoundaryTokens(int[] prefix, int[] suffix) {
    public static final BoundaryTokens NONE = new BoundaryTokens(new int[0], new int[0]);
    private static final System.Logger LOG = System.getLogger(BoundaryTokens.class.getName());

    public BoundaryTokens {
        prefix = prefix.clone();
        suffix = suffix.clone();
    }

    /** BOS in front when {@code addBos} and {@code bos >= 0}; EOS at the end when {@code addEos} and {@code eos >= 0}. */
    public static BoundaryTokens of(int bos, boolean addBos, int eos, boolean addEos) {
        return new BoundaryTokens(addBos && bos >= 0 ? new int[] {bos} : new int[0], addEos && eos >= 0 ? new int[] {eos} : new int[0]);
    }

    public boolean isEmpty() {
        return prefix.length == 0 && suffix.length == 0;
    }

    @Override
    public int[] prefix() {
        return prefix.clone();
    }

    @Override
    public int[] suffix() {
        return suffix.clone();
    }

    /** {@code ids} with the prefix and suffix added, each skipped (with a warning) when the ids already have it. */
    public int[] apply(int[] ids) {
        boolean hasPrefix = prefix.length > 0 && startsWith(ids, prefix);
        boolean hasSuffix = suffix.length > 0 && ids.length >= prefix.length + suffix.length && endsWith(ids, suffix);
        if (hasPrefix) {
            LOG.log(System.Logger.Level.WARNING, "the text already starts with the BOS/prefix tokens " + Arrays.toString(prefix)
                    + "; not adding them again (a double BOS)");
        }
        int[] pre = hasPrefix ? new int[0] : prefix, post = hasSuffix ? new int[0] : suffix;
        int[] out = new int[pre.length + ids.length + post.length];
        System.arraycopy(pre, 0, out, 0, pre.length);
        System.arraycopy(ids, 0, out, pre.length, ids.length);
        System.arraycopy(post, 0, out, pre.length + ids.length, post.length);
        return out;
    }

    /** Whether the ids already begin with the prefix (and so {@link #apply} would not add it). */
    public boolean hasPrefix(int[] ids) {
        return prefix.length > 0 && startsWith(ids, prefix);
    }

    private static boolean startsWith(int[] ids, int[] p) {
        return ids.length >= p.length && Arrays.equals(ids, 0, p.length, p, 0, p.length);
    }

    private static boolean endsWith(int[] ids, int[] s) {
        return ids.length >= s.length && Arrays.equals(ids, ids.length - s.length, ids.length, s, 0, s.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundaryTokens b && Arrays.equals(prefix, b.prefix) && Arrays.equals(suffix, b.suffix);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prefix) + Arrays.hashCode(suffix);
    }

    @Override
    public String toString() {
        return "BoundaryTokens[prefix=" + Arrays.toString(prefix) + ", suffix=" + Arrays.toString(suffix) + "]";
    }
}
