package ai.tarka.serve.engine;

import ai.tarka.serve.kv.BlockAllocator;
import ai.tarka.serve.kv.PrefixHash;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, once per engine step, which tokens of which sequences the model computes: every running sequence first
 * (its next decode token, or the next chunk of its prompt), then waiting sequences while the token budget
 * ({@code maxBatchedTokens}), {@code maxNumSeqs} and free blocks allow. When blocks run out, the most recently
 * admitted running sequence is preempted: its blocks are freed and it is recomputed later from its tokens. Waiting
 * sequences first take the full blocks of their prefix that the cache already holds. While sequences decode, a step
 * carries at most {@code max(prefillChunkWhileDecoding, decoding sequences)} prompt tokens, so admitting a request
 * costs the running streams a bounded stall per step instead of one step as long as the whole prompt.
 */
public final class Scheduler {
    private final BlockAllocator blocks;
    private final int maxNumSeqs;
    private final int maxBatchedTokens;
    private final int prefillChunkWhileDecoding;
    private final boolean prefixCaching;
    final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    final ArrayList<Sequence> running = new ArrayList<>();
    /** Sequences that need more blocks than the whole pool; the engine fails them. */
    final List<Sequence> unschedulable = new ArrayList<>();
    private long preemptions;
    private long prefixQueryTokens;
    private long prefixHitTokens;

    /** A slice of one sequence's tokens to compute this step. */
    public record Scheduled(Sequence seq, int start, int count) {
        /** Whether the slice reaches the sequence's last token, so a new token is sampled after it. */
        boolean samples() {
            return start + count == seq.length;
        }
    }

    /** A scheduler whose prefill chunks are bounded only by {@code maxBatchedTokens}. */
    public Scheduler(BlockAllocator blocks, int maxNumSeqs, int maxBatchedTokens, boolean prefixCaching) {
        this(blocks, maxNumSeqs, maxBatchedTokens, 0, prefixCaching);
    }

    /** @param prefillChunkWhileDecoding prompt tokens per step while others decode (at least one per decoding sequence); 0: no bound */
    public Scheduler(BlockAllocator blocks, int maxNumSeqs, int maxBatchedTokens, int prefillChunkWhileDecoding,
                     boolean prefixCaching) {
        if (maxNumSeqs <= 0 || maxBatchedTokens <= 0 || prefillChunkWhileDecoding < 0) {
            throw new IllegalArgumentException("Scheduler: max-num-seqs " + maxNumSeqs + " and max-num-batched-tokens "
                    + maxBatchedTokens + " must be positive, prefill chunk while decoding " + prefillChunkWhileDecoding
                    + " non-negative");
        }
        this.blocks = blocks;
        this.maxNumSeqs = maxNumSeqs;
        this.maxBatchedTokens = maxBatchedTokens;
        this.prefillChunkWhileDecoding = prefillChunkWhileDecoding;
        this.prefixCaching = prefixCaching;
    }

    public void add(Sequence seq) {
        waiting.addLast(seq);
    }

    public int numRunning() {
        return running.size();
    }

    public int numWaiting() {
        return waiting.size();
    }

    public long preemptions() {
        return preemptions;
    }

    /** Prompt tokens looked up in the prefix cache so far. */
    public long prefixQueryTokens() {
        return prefixQueryTokens;
    }

    /** Prompt tokens found there. */
    public long prefixHitTokens() {
        return prefixHitTokens;
    }

    public BlockAllocator blocks() {
        return blocks;
    }

    /** The work of the next step; empty when there is none. */
    public List<Scheduled> schedule() {
        List<Scheduled> out = new ArrayList<>();
        int budget = maxBatchedTokens;
        int prefill = prefillBudget();
        boolean preempted = false;
        for (int i = 0; i < running.size() && budget > 0; i++) {
            Sequence seq = running.get(i);
            int left = seq.length - seq.computed;
            boolean decodes = decoding(seq);
            int chunk = Math.min(left, decodes ? budget : Math.min(budget, prefill));
            if (chunk <= 0) continue;
            boolean self = false;
            while (!ensureBlocks(seq, seq.computed + chunk)) {
                Sequence victim = running.get(running.size() - 1);
                preempt(victim);
                preempted = true;
                if (victim == seq) {
                    self = true;
                    break;
                }
            }
            if (self) break;
            out.add(new Scheduled(seq, seq.computed, chunk));
            budget -= chunk;
            if (!decodes) prefill -= chunk;
        }
        while (!preempted && budget > 0 && prefill > 0 && running.size() < maxNumSeqs && !waiting.isEmpty()) {
            Sequence seq = waiting.peekFirst();
            if (seq.computed == 0 && seq.blocks.size() == 0 && prefixCaching && !seq.wantsPromptLogprobs()) {
                takeCachedPrefix(seq);
            }
            int chunk = Math.min(seq.length - seq.computed, Math.min(budget, prefill));
            if (!ensureBlocks(seq, seq.computed + chunk)) {
                freeBlocks(seq);
                if (running.isEmpty() && out.isEmpty()) {
                    // nothing else holds blocks, so this sequence can never fit
                    waiting.pollFirst();
                    unschedulable.add(seq);
                    continue;
                }
                break;
            }
            waiting.pollFirst();
            running.add(seq);
            out.add(new Scheduled(seq, seq.computed, chunk));
            budget -= chunk;
            prefill -= chunk;
        }
        return out;
    }

    /** Prompt tokens this step may carry: unbounded (beyond the step budget) unless some running sequence decodes. */
    private int prefillBudget() {
        if (prefillChunkWhileDecoding == 0) return Integer.MAX_VALUE;
        int decoding = 0;
        for (Sequence seq : running) if (decoding(seq)) decoding++;
        return decoding == 0 ? Integer.MAX_VALUE : Math.max(prefillChunkWhileDecoding, decoding);
    }

    /** Whether the sequence's next slice is one generated token (not part of a prompt or of a recomputation). */
    private static boolean decoding(Sequence seq) {
        return seq.length - seq.computed == 1 && seq.computed >= seq.promptLength;
    }

    /** Marks the step's tokens as computed and publishes the blocks they filled to the prefix cache. */
    public void afterStep(List<Scheduled> step) {
        for (Scheduled s : step) {
            Sequence seq = s.seq();
            seq.computed = s.start() + s.count();
            if (!prefixCaching) continue;
            int bs = blocks.blockSize();
            while (seq.blockHashes.size() < seq.computed / bs) {
                int b = seq.blockHashes.size();
                long parent = b == 0 ? PrefixHash.root(seq.adapter) : seq.blockHashes.get(b - 1);
                long h = PrefixHash.block(parent, seq.tokens, b * bs, bs);
                blocks.publish(seq.blocks.get(b), h);
                seq.blockHashes.add(h);
            }
        }
    }

    /** Removes a finished or cancelled sequence from wherever it is and frees its blocks. */
    public void remove(Sequence seq) {
        if (!running.remove(seq)) waiting.remove(seq);
        freeBlocks(seq);
    }

    private void preempt(Sequence seq) {
        running.remove(seq);
        freeBlocks(seq);
        waiting.addFirst(seq);
        preemptions++;
    }

    private void takeCachedPrefix(Sequence seq) {
        int bs = blocks.blockSize();
        int full = (seq.length - 1) / bs;        // at least one token is computed, so the step yields logits
        long parent = PrefixHash.root(seq.adapter);     // an adapter's keys differ from the base model's
        int hits = 0;
        for (int b = 0; b < full; b++) {
            long h = PrefixHash.block(parent, seq.tokens, b * bs, bs);
            int blk = blocks.lookup(h);
            if (blk < 0) break;
            seq.blocks.add(blk);
            seq.blockHashes.add(h);
            parent = h;
            hits++;
        }
        seq.computed = hits * bs;
        prefixQueryTokens += seq.length;
        prefixHitTokens += seq.computed;
    }

    private boolean ensureBlocks(Sequence seq, int end) {
        int bs = blocks.blockSize();
        int need = (end + bs - 1) / bs - seq.blocks.size();
        if (need <= 0) return true;
        if (need > blocks.freeBlocks()) return false;
        for (int i = 0; i < need; i++) seq.blocks.add(blocks.allocate());
        return true;
    }

    /** Releases the tail first, so the idle queue evicts a sequence's last blocks before its shared prefix. */
    private void freeBlocks(Sequence seq) {
        for (int i = seq.blocks.size() - 1; i >= 0; i--) blocks.release(seq.blocks.get(i));
        seq.blocks.clear();
        seq.blockHashes.clear();
        seq.computed = 0;
    }
}
