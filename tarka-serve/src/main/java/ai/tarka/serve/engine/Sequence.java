package ai.tarka.serve.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One generation in the engine: its tokens (prompt then output), how many of them have keys and values in the cache,
 * the KV blocks it holds and their prefix hashes, and where its events go. Owned by the scheduler thread.
 */
public final class Sequence {
    final long id;
    final int index;
    final int promptLength;
    final SamplingOptions options;
    final Consumer<SeqEvent> sink;
    final long arrivalNanos;
    /** LoRA adapter id, 0 for the base model. */
    final int adapter;
    int[] tokens;
    int length;
    int computed;
    final IntList blocks = new IntList();
    /** Prefix hashes of the leading full blocks, published or taken from the cache. */
    final List<Long> blockHashes = new ArrayList<>();
    TokenSampler sampler;
    StopChecker stopChecker;
    long firstScheduledNanos = -1;
    long firstTokenNanos = -1;
    long lastTokenNanos = -1;
    boolean promptLogprobsSent;
    List<TokenSampler.Draw> pendingPromptLogprobs;
    volatile boolean cancelled;

    Sequence(long id, int index, int[] prompt, SamplingOptions options, Consumer<SeqEvent> sink, long arrivalNanos) {
        this(id, index, prompt, options, sink, arrivalNanos, 0);
    }

    Sequence(long id, int index, int[] prompt, SamplingOptions options, Consumer<SeqEvent> sink, long arrivalNanos,
             int adapter) {
        this.adapter = adapter;
        this.id = id;
        this.index = index;
        this.promptLength = prompt.length;
        this.options = options;
        this.sink = sink;
        this.arrivalNanos = arrivalNanos;
        tokens = Arrays.copyOf(prompt, prompt.length + Math.max(1, Math.min(options.maxTokens(), 4096)));
        length = prompt.length;
    }

    public long id() {
        return id;
    }

    int outputLength() {
        return length - promptLength;
    }

    void append(int token) {
        if (length == tokens.length) tokens = Arrays.copyOf(tokens, tokens.length * 2);
        tokens[length++] = token;
    }

    /** Whether the prompt's logits are wanted and not yet delivered (then no cached prefix may be skipped). */
    boolean wantsPromptLogprobs() {
        return options.promptLogprobs() && !promptLogprobsSent;
    }

    /** A growable int list without boxing. */
    static final class IntList {
        int[] a = new int[8];
        int size;

        void add(int v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }

        int[] array() {
            return a;
        }
    }
}
