package ai.tarka.eval.lm;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.KvCache;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LogLikelihoodModel} and {@link TextGenerator} over a tarka-models {@link CausalLm} and a tokenizer, run
 * without recording gradients. Batches are pad-free: sequences of equal length run together in one forward pass,
 * others run apart, so no row ever sees padding or a mask and each row's numbers are those of its own pass.
 */
public final class CausalLmScorer implements LogLikelihoodModel, TextGenerator {
    private final String name;
    private final CausalLm model;
    private final TextTokenizer tokenizer;
    private final int bos;
    private final int eos;
    private long dropped;

    public CausalLmScorer(String name, CausalLm model, TextTokenizer tokenizer, int bos, int eos) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.bos = bos;
        this.eos = eos;
    }

    @Override
    public String name() {
        return name;
    }

    public CausalLm model() {
        return model;
    }

    /**
     * Token ids of {@code text}. A tokenizer that rejects characters outside its vocabulary (a character-level
     * model on foreign text) gets the text one character at a time, and the characters it cannot encode are left
     * out; {@link #droppedCharacters()} counts them so a report can say so.
     */
    @Override
    public int[] encode(String text) {
        try {
            return tokenizer.encodeOrdinary(text);
        } catch (IllegalArgumentException e) {
            java.util.List<Integer> ids = new ArrayList<>();
            text.codePoints().forEach(cp -> {
                try {
                    for (int id : tokenizer.encodeOrdinary(new String(Character.toChars(cp)))) ids.add(id);
                } catch (IllegalArgumentException unknown) {
                    dropped++;
                }
            });
            return ids.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Characters {@link #encode} had to leave out so far. */
    public long droppedCharacters() {
        return dropped;
    }

    @Override
    public int bos() {
        return bos;
    }

    @Override
    public int maxLength() {
        return model.config().maxPositions();
    }

    @Override
    public double[][] tokenLogProbs(List<int[]> sequences, int[] from) {
        double[][] out = new double[sequences.size()][];
        run(sequences, from, out, null);
        return out;
    }

    @Override
    public boolean[][] greedyFlags(List<int[]> sequences, int[] from) {
        boolean[][] out = new boolean[sequences.size()][];
        run(sequences, from, null, out);
        return out;
    }

    private void run(List<int[]> sequences, int[] from, double[][] logProbs, boolean[][] greedy) {
        Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            if (s.length > maxLength())
                throw new IllegalArgumentException(name + ": sequence of " + s.length + " tokens exceeds the model's "
                        + maxLength() + " positions");
            if (from[i] < 1 || from[i] > s.length)
                throw new IllegalArgumentException(name + ": scoring from token " + from[i] + " of a " + s.length + "-token sequence");
            byLength.computeIfAbsent(s.length, k -> new ArrayList<>()).add(i);
        }
        int vocab = model.config().vocabSize();
        try (var g = GradMode.disable()) {
            for (var group : byLength.entrySet()) {
                int len = group.getKey();
                List<Integer> rows = group.getValue();
                int[] tokens = new int[rows.size() * len];
                for (int r = 0; r < rows.size(); r++) System.arraycopy(sequences.get(rows.get(r)), 0, tokens, r * len, len);
                float[] logits = model.forward(tokens, null, rows.size(), len).toArray();
                for (int r = 0; r < rows.size(); r++) {
                    int i = rows.get(r);
                    int[] seq = sequences.get(i);
                    int n = seq.length - from[i];
                    if (logProbs != null) logProbs[i] = new double[n];
                    if (greedy != null) greedy[i] = new boolean[n];
                    for (int t = 0; t < n; t++) {
                        int pos = from[i] + t - 1;          // logits at pos predict token pos+1
                        int base = (r * len + pos) * vocab;
                        int target = seq[pos + 1];
                        if (logProbs != null) logProbs[i][t] = LogSoftmax.at(logits, base, vocab, target);
                        if (greedy != null) greedy[i][t] = LogSoftmax.argmax(logits, base, vocab) == target;
                    }
                }
            }
        }
    }

    @Override
    public String generate(String prompt, List<String> until, int maxNewTokens) {
        int[] promptIds = encode(prompt);
        if (maxNewTokens >= maxLength())
            throw new IllegalArgumentException(name + ": " + maxNewTokens + " new tokens leave no room for a prompt in "
                    + maxLength() + " positions");
        // a prompt too long for the window keeps its end (the part next to the answer), as lm-eval truncates left
        int keep = Math.min(promptIds.length, maxLength() - maxNewTokens - (bos >= 0 ? 1 : 0));
        int[] ids = new int[keep + (bos >= 0 ? 1 : 0)];
        if (bos >= 0) ids[0] = bos;
        System.arraycopy(promptIds, promptIds.length - keep, ids, ids.length - keep, keep);
        int budget = maxNewTokens;
        if (budget <= 0) return "";
        int vocab = model.config().vocabSize();
        List<Integer> generated = new ArrayList<>();
        try (var g = GradMode.disable()) {
            KvCache cache = model.newCache(1, ids.length + budget);
            Tensor logits = model.forwardCached(ids, 1, ids.length, cache);
            float[] row = logits.toArray();
            int base = (ids.length - 1) * vocab;
            while (true) {
                int next = LogSoftmax.argmax(row, base, vocab);
                if (next == eos) break;
                generated.add(next);
                String text = decode(generated);
                int cut = StopSequences.firstStop(text, until);
                if (cut >= 0) return text.substring(0, cut);
                if (generated.size() >= budget) return text;
                row = model.forwardCached(new int[] {next}, 1, 1, cache).toArray();
                base = 0;
            }
        }
        return decode(generated);
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(ids);
    }

    private String decode(List<Integer> ids) {
        int[] a = new int[ids.size()];
        for (int i = 0; i < a.length; i++) a[i] = ids.get(i);
        return tokenizer.decode(a);
    }
}
