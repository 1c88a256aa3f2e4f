package ai.tarka.inference;

import ai.tarka.inference.sampling.SampledToken;
import ai.tarka.inference.sampling.Sampler;
import ai.tarka.inference.sampling.SamplingParams;
import ai.tarka.inference.sampling.TokenCounts;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** Generates text for one prompt: prefill, then one decode step per token, streaming text as it is completed. */
public final class TextGenerator {
    private final LlamaInference model;
    private final TextTokenizer tokenizer;
    private final KvPrecision kv;

    public TextGenerator(LlamaInference model, TextTokenizer tokenizer) {
        this(model, tokenizer, KvPrecision.F32);
    }

    public TextGenerator(LlamaInference model, TextTokenizer tokenizer, KvPrecision kv) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.kv = kv;
    }

    /**
     * @param prompt token ids (BOS included if the model wants one)
     * @param onText receives text as soon as it is complete (never text at or after a stop string); may be null
     * @throws IllegalArgumentException naming the numbers when the prompt does not fit the context
     */
    public GenerationResult generate(int[] prompt, SamplingParams params, StopCondition stop, Consumer<String> onText) {
        if (prompt.length == 0) throw new IllegalArgumentException("generate: empty prompt (no tokens)");
        if (prompt.length >= model.context())
            throw new IllegalArgumentException("generate: the prompt has " + prompt.length + " tokens but the context holds "
                    + model.context() + " (leave room for at least one new token)");
        int vocab = model.config().vocabSize();
        Sampler sampler = new Sampler(params, vocab);
        TokenCounts counts = new TokenCounts(vocab);
        counts.addPrompt(prompt);
        SequenceState seq = model.newSequence(kv);
        TextStream stream = new TextStream(tokenizer);
        StopStrings stops = new StopStrings(stop.stopStrings());
        StringBuilder text = new StringBuilder();
        List<SampledToken> sampled = new ArrayList<>();
        int[] out = new int[Math.max(1, stop.maxTokens())];
        int n = 0;
        long t0 = System.nanoTime();
        float[] logits = stop.maxTokens() > 0 ? model.prefill(seq, prompt) : null;
        long t1 = System.nanoTime();
        FinishReason reason = FinishReason.LENGTH;
        int[] one = new int[1];
        while (n < stop.maxTokens()) {
            SampledToken t = sampler.sample(logits, 0, counts, n < stop.minTokens() ? stop.stopIds() : null);
            sampled.add(t);
            if (contains(stop.stopIds(), t.id())) {
                reason = FinishReason.STOP_TOKEN;
                break;
            }
            out[n++] = t.id();
            counts.addGenerated(t.id());
            String piece = stops.accept(stream.accept(t.id()));
            text.append(piece);
            if (onText != null && !piece.isEmpty()) onText.accept(piece);
            if (stops.stopped()) {
                reason = FinishReason.STOP_STRING;
                break;
            }
            if (n == stop.maxTokens()) break;
            if (seq.remaining() == 0) {
                reason = FinishReason.CONTEXT_FULL;
                break;
            }
            one[0] = t.id();
            logits = model.forwardBatch(List.of(seq), one);
        }
        long t2 = System.nanoTime();
        if (!stops.stopped()) {
            String rest = stops.accept(stream.finish());
            if (!stops.stopped()) rest += stops.finish();
            if (stops.stopped()) reason = FinishReason.STOP_STRING;
            text.append(rest);
            if (onText != null && !rest.isEmpty()) onText.accept(rest);
        }
        return new GenerationResult(prompt.length, Arrays.copyOf(out, n), text.toString(), sampled, reason, t1 - t0, t2 - t1);
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) if (x == id) return true;
        return false;
    }
}
