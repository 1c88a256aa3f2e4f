package ai.tarka.cli.chat;

import ai.tarka.inference.KvPrecision;
import ai.tarka.inference.LlamaInference;
import ai.tarka.inference.SequenceState;
import ai.tarka.inference.TextStream;
import ai.tarka.inference.sampling.SampledToken;
import ai.tarka.inference.sampling.Sampler;
import ai.tarka.inference.sampling.TokenCounts;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.chat.ChatMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A conversation with a model, without any terminal: the messages so far, the system prompt, the sampling settings,
 * and one KV cache that is kept across turns. Each answer renders the whole conversation; the tokens it shares with
 * what the cache already holds are not run again (only the new suffix is prefilled), so a conversation that only
 * grows costs one prefill of each new turn. Not thread-safe, except {@link #reply}'s cancellation flag, which any
 * thread may set.
 */
public final class ChatSession {
    /** Why an answer ended. */
    public enum Finish { STOP, LENGTH, CONTEXT_FULL, CANCELLED }

    /**
     * One answer: its text, the prompt's size and how many of its tokens came from the cache, the tokens sampled
     * (an end-of-sequence token not included), and the time spent on the prompt and on decoding.
     */
    public record Reply(String text, int promptTokens, int reusedTokens, int[] tokens, Finish finish, long prefillNanos,
                        long decodeNanos) {}

    private final LlamaInference model;
    private final TextTokenizer tokenizer;
    private final PromptFormat format;
    private final SequenceState seq;
    private final List<ChatMessage> turns = new ArrayList<>();
    private String system = "";
    private ChatParams params;
    private int[] cached = new int[64];

    public ChatSession(LlamaInference model, TextTokenizer tokenizer, PromptFormat format, KvPrecision kv, ChatParams params) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.format = format;
        this.params = params;
        this.seq = model.newSequence(kv);
    }

    public PromptFormat format() {
        return format;
    }

    public ChatParams params() {
        return params;
    }

    /** Applies every assignment or, when one is refused, none of them. */
    public ChatParams setParams(Map<String, String> assignments) {
        ChatParams p = params;
        for (var e : assignments.entrySet()) p = p.with(e.getKey(), e.getValue());
        params = p;
        return p;
    }

    public String system() {
        return system;
    }

    /** Sets the system prompt (empty: none); the conversation stays. */
    public void setSystem(String text) {
        system = text == null ? "" : text;
    }

    /** Forgets the conversation; the system prompt and settings stay. The cache is kept for its reusable prefix. */
    public void reset() {
        turns.clear();
    }

    /** The conversation as the template sees it: the system prompt (if any), then the turns. */
    public List<ChatMessage> messages() {
        List<ChatMessage> all = new ArrayList<>();
        if (!system.isEmpty()) all.add(ChatMessage.system(system));
        all.addAll(turns);
        return all;
    }

    /** Forgets what the KV cache holds, so the next answer prefills its whole prompt. */
    void dropCache() {
        seq.truncate(0);
    }

    /**
     * Adds {@code userText} as a user turn and generates the answer, giving {@code onText} each piece of text as it
     * is decoded. Setting {@code cancel} stops the answer before its next token; what was produced so far is kept
     * as the assistant's turn.
     *
     * @throws IllegalArgumentException when the conversation no longer fits the context (the user turn is dropped)
     */
    public Reply reply(String userText, Consumer<String> onText, AtomicBoolean cancel) {
        turns.add(ChatMessage.user(userText));
        int[] prompt;
        try {
            prompt = promptTokens();
            if (prompt.length >= model.context())
                throw new IllegalArgumentException("chat: the conversation is " + prompt.length + " tokens but the context holds "
                        + model.context() + "; /reset to start over, or raise --context");
        } catch (RuntimeException e) {
            turns.removeLast();
            throw e;
        }
        long t0 = System.nanoTime();
        int reused = commonPrefix(prompt);
        seq.truncate(reused);
        remember(prompt, reused, prompt.length);
        float[] logits = model.prefill(seq, Arrays.copyOfRange(prompt, reused, prompt.length));
        long t1 = System.nanoTime();

        int vocab = model.config().vocabSize();
        Sampler sampler = new Sampler(params.sampling(System.nanoTime()), vocab);
        TokenCounts counts = new TokenCounts(vocab);
        counts.addPrompt(prompt);
        TextStream stream = new TextStream(tokenizer);
        StopText stops = new StopText(format.stopStrings());
        int eos = model.config().eosTokenId();
        StringBuilder text = new StringBuilder();
        int[] out = new int[params.maxTokens()];
        int n = 0;
        int[] one = new int[1];
        Finish finish = Finish.LENGTH;
        while (n < out.length) {
            if (cancel != null && cancel.get()) {
                finish = Finish.CANCELLED;
                break;
            }
            SampledToken t = sampler.sample(logits, 0, counts, null);
            if (t.id() == eos) {
                finish = Finish.STOP;
                break;
            }
            out[n++] = t.id();
            counts.addGenerated(t.id());
            emit(stops.accept(stream.accept(t.id())), text, onText);
            if (stops.stopped()) {
                finish = Finish.STOP;
                break;
            }
            if (n == out.length) break;
            if (seq.remaining() == 0) {
                finish = Finish.CONTEXT_FULL;
                break;
            }
            one[0] = t.id();
            remember(one, 0, 1);
            logits = model.forwardBatch(List.of(seq), one);
        }
        if (!stops.stopped()) {
            emit(stops.accept(stream.finish()), text, onText);
            emit(stops.finish(), text, onText);
        }
        long t2 = System.nanoTime();
        turns.add(ChatMessage.assistant(text.toString()));
        return new Reply(text.toString(), prompt.length, reused, Arrays.copyOf(out, n), finish, t1 - t0, t2 - t1);
    }

    private static void emit(String piece, StringBuilder text, Consumer<String> onText) {
        if (piece.isEmpty()) return;
        text.append(piece);
        if (onText != null) onText.accept(piece);
    }

    /** The rendered conversation's tokens, starting with BOS when the model has one. */
    int[] promptTokens() {
        String rendered = format.render(messages());
        int[] body = rendered.isEmpty() ? new int[0] : tokenizer.encode(rendered);
        int bos = model.config().bosTokenId();
        boolean addBos = bos >= 0 && (body.length == 0 || body[0] != bos);
        int[] ids = new int[body.length + (addBos ? 1 : 0)];
        if (addBos) ids[0] = bos;
        System.arraycopy(body, 0, ids, addBos ? 1 : 0, body.length);
        if (ids.length == 0) throw new IllegalArgumentException("chat: empty prompt and the model has no BOS token");
        return ids;
    }

    /** How many leading prompt tokens the cache already holds; at least one token is always run, for its logits. */
    private int commonPrefix(int[] prompt) {
        int limit = Math.min(seq.length(), prompt.length - 1);
        int p = 0;
        while (p < limit && cached[p] == prompt[p]) p++;
        return p;
    }

    /** Records that positions {@code seq.length()..} will hold {@code ids[from..to)}. */
    private void remember(int[] ids, int from, int to) {
        int at = seq.length();
        int need = at + (to - from);
        if (need > cached.length) cached = Arrays.copyOf(cached, Math.max(need, 2 * cached.length));
        System.arraycopy(ids, from, cached, at, to - from);
    }
}
