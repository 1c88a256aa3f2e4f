package ai.tarka.serve.engine;

import ai.tarka.serve.kv.BlockAllocator;
import ai.tarka.serve.kv.PagedKvCache;
import ai.tarka.serve.metrics.ServeMetrics;
import ai.tarka.serve.model.BatchModel;
import ai.tarka.serve.model.StepBatch;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The continuous-batching loop: one platform thread that, at every step, takes in new and cancelled requests, asks
 * the {@link Scheduler} what to compute, runs one {@link BatchModel} step over all of it, samples the next token of
 * every sequence whose step reached its end, and retires finished sequences. Requests talk to it only through
 * {@link #submit}, {@link #cancel} and their event sinks.
 */
public final class Engine implements AutoCloseable {
    private final BatchModel model;
    private final TextTokenizer tokenizer;
    private final int eos;
    private final EngineConfig config;
    private final ServeMetrics metrics;
    private final PagedKvCache cache;
    private final Scheduler scheduler;
    private final ConcurrentLinkedQueue<Sequence> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile int runningCount;
    private volatile int usedBlocks;
    private int[] tokens = new int[0], positions = new int[0], seqOf = new int[0], logitRows = new int[0];
    private float[] logits = new float[0];

    public Engine(BatchModel model, TextTokenizer tokenizer, int eos, EngineConfig config, ServeMetrics metrics) {
        this(model, tokenizer, eos, config, metrics, true);
    }

    /** An engine whose loop starts only at {@link #start()} when {@code start} is false (tests queue requests first). */
    Engine(BatchModel model, TextTokenizer tokenizer, int eos, EngineConfig config, ServeMetrics metrics, boolean start) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.eos = eos;
        this.config = config;
        this.metrics = metrics;
        cache = new PagedKvCache(model.numLayers(), config.numBlocks(), config.blockSize(), model.kvDim());
        scheduler = new Scheduler(new BlockAllocator(config.numBlocks(), config.blockSize()), config.maxNumSeqs(),
                config.maxBatchedTokens(), config.prefillChunkWhileDecoding(), config.prefixCaching());
        metrics.gauges(() -> runningCount, pending::get, () -> (double) usedBlocks / config.numBlocks(), () -> usedBlocks);
        thread = Thread.ofPlatform().name("tarka-engine").daemon(true).unstarted(this::loop);
        if (start) thread.start();
    }

    void start() {
        thread.start();
    }

    public EngineConfig config() {
        return config;
    }

    public BatchModel model() {
        return model;
    }

    /** Blocks referenced by sequences right now (as of the last step). */
    public int usedBlocks() {
        return usedBlocks;
    }

    /** Requests accepted but not yet scheduled. */
    public int waiting() {
        return pending.get();
    }

    public int running() {
        return runningCount;
    }

    /**
     * Queues {@code n} sequences continuing {@code prompt}; their events go to {@code sink} (called on the engine
     * thread: it must not block). Sequence {@code i} gets seed {@code seed + i} when a seed is given.
     *
     * @throws QueueFullException when {@code maxWaiting} requests already wait
     */
    public List<Sequence> submit(int[] prompt, SamplingOptions options, int n, Consumer<SeqEvent> sink) {
        return submit(prompt, options, n, sink, 0);
    }

    /** As {@link #submit(int[], SamplingOptions, int, Consumer)}, generating with LoRA adapter {@code adapter} (0: base). */
    public List<Sequence> submit(int[] prompt, SamplingOptions options, int n, Consumer<SeqEvent> sink, int adapter) {
        if (stopping) throw new IllegalStateException("the server is shutting down");
        if (pending.addAndGet(n) - n >= config.maxWaiting()) {
            pending.addAndGet(-n);
            throw new QueueFullException(config.maxWaiting());
        }
        long now = System.nanoTime();
        List<Sequence> seqs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SamplingOptions o = options.seed() == null ? options : options.withSeed(options.seed() + i);
            Sequence s = new Sequence(ids.incrementAndGet(), i, prompt, o, sink, now, adapter);
            s.sampler = new TokenSampler(o, model.vocabSize(), o.ignoreEos() ? -1 : eos, prompt);
            s.stopChecker = new StopChecker(tokenizer, o.stop());
            seqs.add(s);
        }
        incoming.addAll(seqs);
        LockSupport.unpark(thread);
        return seqs;
    }

    /** Cancels a sequence; its blocks are freed at the next step and no more events are sent. */
    public void cancel(Sequence seq) {
        seq.cancelled = true;
        LockSupport.unpark(thread);
    }

    private void loop() {
        while (!stopping || scheduler.numRunning() + scheduler.numWaiting() > 0 || !incoming.isEmpty()) {
            try {
                if (!step()) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            } catch (Throwable t) {
                failAll(t);
            }
        }
    }

    /** One iteration; false when there was nothing to do. */
    boolean step() {
        for (Sequence s; (s = incoming.poll()) != null; ) scheduler.add(s);
        dropCancelled();
        List<Scheduler.Scheduled> plan = scheduler.schedule();
        for (Sequence s : scheduler.unschedulable) {
            pending.decrementAndGet();
            send(s, new SeqEvent(s.index, "", List.of(), FinishReason.ABORT, s.promptLength, 0, null,
                    "the request needs more KV-cache blocks than the server has (" + config.numBlocks() + " blocks of "
                            + config.blockSize() + " tokens)"));
        }
        scheduler.unschedulable.clear();
        metrics.preemptions.set(scheduler.preemptions());
        metrics.prefixCacheQueries.set(scheduler.prefixQueryTokens());
        metrics.prefixCacheHits.set(scheduler.prefixHitTokens());
        if (plan.isEmpty()) {
            publishGauges();
            return false;
        }
        long now = System.nanoTime();
        StepBatch batch = build(plan, now);
        ensureLogits(batch.numLogitRows());
        model.forward(batch, cache, logits);
        scheduler.afterStep(plan);
        int row = 0;
        for (int i = 0; i < plan.size(); i++) {
            Scheduler.Scheduled s = plan.get(i);
            Sequence seq = s.seq();
            List<TokenSampler.Draw> promptLps = null;
            if (seq.wantsPromptLogprobs()) {
                promptLps = promptLogprobs(seq, s, row);
                row += s.count();
            } else if (s.samples()) {
                row++;
            }
            if (s.samples()) sampleAndEmit(seq, row - 1, promptLps);
        }
        publishGauges();
        return true;
    }

    private StepBatch build(List<Scheduler.Scheduled> plan, long now) {
        int n = 0, rows = 0;
        for (Scheduler.Scheduled s : plan) {
            n += s.count();
            rows += s.seq().wantsPromptLogprobs() ? s.count() : (s.samples() ? 1 : 0);
        }
        if (tokens.length < n) {
            tokens = new int[n];
            positions = new int[n];
            seqOf = new int[n];
        }
        if (logitRows.length < rows) logitRows = new int[rows];
        int[][] tables = new int[plan.size()][];
        int[] adapterOf = new int[plan.size()];
        int t = 0, r = 0;
        for (int i = 0; i < plan.size(); i++) {
            Scheduler.Scheduled s = plan.get(i);
            Sequence seq = s.seq();
            if (seq.firstScheduledNanos < 0) {
                seq.firstScheduledNanos = now;
                pending.decrementAndGet();
                metrics.queueTime.observe((now - seq.arrivalNanos) / 1e9);
                metrics.promptTokens.addAndGet(seq.promptLength);
            }
            tables[i] = seq.blocks.array();
            adapterOf[i] = seq.adapter;
            boolean all = seq.wantsPromptLogprobs();
            for (int j = 0; j < s.count(); j++) {
                int pos = s.start() + j;
                tokens[t] = seq.tokens[pos];
                positions[t] = pos;
                seqOf[t] = i;
                if (all || (j == s.count() - 1 && s.samples())) logitRows[r++] = t;
                t++;
            }
        }
        return new StepBatch(n, tokens, positions, seqOf, tables, r, logitRows, adapterOf);
    }

    private List<TokenSampler.Draw> promptLogprobs(Sequence seq, Scheduler.Scheduled s, int firstRow) {
        int v = model.vocabSize();
        int k = seq.options.topLogprobs();
        List<TokenSampler.Draw> out = new ArrayList<>();
        if (s.start() == 0) out.add(null);
        for (int j = 0; j < s.count(); j++) {
            int pos = s.start() + j;
            if (pos + 1 >= seq.promptLength) break;
            int off = (firstRow + j) * v;
            double lse = TokenSampler.logSumExp(logits, off, v);
            int next = seq.tokens[pos + 1];
            int[] top = k > 0 ? TokenSampler.topIndices(logits, off, v, k) : null;
            float[] topLp = null;
            if (top != null) {
                topLp = new float[k];
                for (int q = 0; q < k; q++) topLp[q] = (float) (logits[off + top[q]] - lse);
            }
            out.add(new TokenSampler.Draw(next, (float) (logits[off + next] - lse), top, topLp));
        }
        // a sequence preempted during its prefill starts over: its earlier prompt scores are recomputed, not repeated
        if (seq.pendingPromptLogprobs == null || s.start() == 0) seq.pendingPromptLogprobs = new ArrayList<>();
        seq.pendingPromptLogprobs.addAll(out);
        return seq.pendingPromptLogprobs;
    }

    private void sampleAndEmit(Sequence seq, int row, List<TokenSampler.Draw> promptLps) {
        long now = System.nanoTime();
        if (seq.options.maxTokens() == 0) {
            // scoring only (completions with echo, logprobs and max_tokens 0): the prompt's logprobs, no new token
            seq.promptLogprobsSent = true;
            send(seq, new SeqEvent(seq.index, "", List.of(), FinishReason.LENGTH, seq.promptLength, 0,
                    seq.options.promptLogprobs() ? promptLps : null, null));
            retire(seq, FinishReason.LENGTH, now);
            return;
        }
        TokenSampler.Draw d = seq.sampler.sample(logits, row * model.vocabSize(), seq.outputLength());
        seq.append(d.token());
        metrics.generationTokens.incrementAndGet();
        if (seq.firstTokenNanos < 0) {
            seq.firstTokenNanos = now;
            metrics.timeToFirstToken.observe((now - seq.arrivalNanos) / 1e9);
        } else {
            metrics.interTokenLatency.observe((now - seq.lastTokenNanos) / 1e9);
        }
        seq.lastTokenNanos = now;
        FinishReason finish = null;
        boolean eosHit = !seq.options.ignoreEos() && d.token() == eos;
        boolean stopId = false;
        for (int id : seq.options.stopTokenIds()) stopId |= id == d.token();
        String text;
        if (eosHit || stopId) {
            finish = FinishReason.STOP;
            text = seq.stopChecker.flush();        // the stop token's own text is not part of the output
        } else {
            text = seq.stopChecker.accept(d.token());
            if (seq.stopChecker.stopped()) finish = FinishReason.STOP;
            else if (seq.outputLength() >= seq.options.maxTokens() || seq.length >= model.contextLength()) finish = FinishReason.LENGTH;
            if (finish == FinishReason.LENGTH) text += seq.stopChecker.flush();
        }
        List<TokenSampler.Draw> lps = null;
        if (promptLps != null || !seq.promptLogprobsSent) {
            seq.promptLogprobsSent = true;
            lps = seq.options.promptLogprobs() ? promptLps : null;
        }
        send(seq, new SeqEvent(seq.index, text, List.of(d), finish, seq.promptLength, seq.outputLength(), lps, null));
        if (finish != null) retire(seq, finish, now);
    }

    private void retire(Sequence seq, FinishReason reason, long now) {
        scheduler.remove(seq);
        metrics.finished(reason);
        metrics.e2eLatency.observe((now - seq.arrivalNanos) / 1e9);
        int out = seq.outputLength();
        if (out > 1) metrics.timePerOutputToken.observe((now - seq.firstTokenNanos) / 1e9 / (out - 1));
    }

    private void dropCancelled() {
        List<Sequence> gone = new ArrayList<>();
        for (Sequence s : scheduler.running) if (s.cancelled) gone.add(s);
        for (Sequence s : scheduler.waiting) if (s.cancelled) gone.add(s);
        for (Sequence s : gone) {
            if (s.firstScheduledNanos < 0) pending.decrementAndGet();
            scheduler.remove(s);
            metrics.finished(FinishReason.ABORT);
        }
    }

    private void send(Sequence seq, SeqEvent e) {
        if (seq.cancelled) return;
        try {
            seq.sink.accept(e);
        } catch (RuntimeException sinkFailure) {
            seq.cancelled = true;
        }
    }

    private void ensureLogits(int rows) {
        long need = (long) rows * model.vocabSize();
        if (logits.length < need) logits = new float[(int) Math.max(need, Math.min(Integer.MAX_VALUE - 16L, 2 * need))];
    }

    private void publishGauges() {
        runningCount = scheduler.numRunning();
        usedBlocks = scheduler.blocks().usedBlocks();
    }

    /** Fails every sequence of a step that threw, so one bad step never stops the server. */
    private void failAll(Throwable t) {
        List<Sequence> all = new ArrayList<>(scheduler.running);
        all.addAll(scheduler.waiting);
        for (Sequence s : all) {
            if (s.firstScheduledNanos < 0) pending.decrementAndGet();
            scheduler.remove(s);
            metrics.finished(FinishReason.ABORT);
            send(s, new SeqEvent(s.index, "", List.of(), FinishReason.ABORT, s.promptLength, s.outputLength(), null,
                    "engine step failed: " + t));
        }
        publishGauges();
    }

    /** Stops accepting requests, lets running ones finish (up to {@code timeoutMillis}), then cancels the rest. */
    @Override
    public void close() {
        close(30_000);
    }

    public void close(long timeoutMillis) {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(timeoutMillis);
            if (thread.isAlive()) {
                for (Sequence s : new ArrayList<>(scheduler.running)) s.cancelled = true;
                for (Sequence s : new ArrayList<>(scheduler.waiting)) s.cancelled = true;
                for (Sequence s : incoming) s.cancelled = true;
                incoming.clear();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int[] debugTokens(Sequence s) {
        return Arrays.copyOf(s.tokens, s.length);
    }
}
