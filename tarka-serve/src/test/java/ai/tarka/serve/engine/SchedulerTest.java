package ai.tarka.serve.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.serve.kv.BlockAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Block accounting, preemption, prefix-cache hits and chunked prefill of the scheduler, driven without a model. */
class SchedulerTest {

    private static Sequence seq(long id, int[] prompt, int maxTokens) {
        return new Sequence(id, 0, prompt, SamplingOptions.greedy(maxTokens), e -> {}, 0);
    }

    private static int[] tokens(Random r, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(500);
        return t;
    }

    /** Plays the engine: computes what was scheduled and appends a token to every sequence that reached its end. */
    private static List<Scheduler.Scheduled> step(Scheduler s, Random r) {
        List<Scheduler.Scheduled> plan = s.schedule();
        s.afterStep(plan);
        for (Scheduler.Scheduled x : plan) if (x.samples()) x.seq().append(r.nextInt(500));
        return plan;
    }

    @Test
    void longPromptIsChunkedAndDecodesOfOthersKeepRunning() {
        Random r = new Random(1);
        Scheduler s = new Scheduler(new BlockAllocator(64, 16), 8, 40, false);
        Sequence shortOne = seq(1, tokens(r, 5), 50);
        s.add(shortOne);
        step(s, r);
        Sequence longOne = seq(2, tokens(r, 101), 5);
        s.add(longOne);
        int steps = 0;
        while (longOne.computed < 101) {
            List<Scheduler.Scheduled> plan = step(s, r);
            int total = plan.stream().mapToInt(Scheduler.Scheduled::count).sum();
            assertThat(total).isLessThanOrEqualTo(40);
            assertThat(plan).anyMatch(x -> x.seq() == shortOne && x.count() == 1);   // the stream never stalls
            steps++;
        }
        assertThat(steps).isEqualTo(3);   // 39 + 39 + 23 prompt tokens next to one decode token each step
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 11})
    void whileOthersDecodeAStepCarriesABoundedPrefill(int decoders) {
        Random r = new Random(decoders);
        int chunk = 5;
        Scheduler s = new Scheduler(new BlockAllocator(128, 4), 32, 64, chunk, false);
        List<Sequence> streams = new ArrayList<>();
        for (int i = 0; i < decoders; i++) {
            Sequence d = seq(10 + i, tokens(r, 2 + r.nextInt(6)), 100);
            streams.add(d);
            s.add(d);
        }
        List<Scheduler.Scheduled> first = step(s, r);
        assertThat(first.stream().mapToInt(Scheduler.Scheduled::count).sum())
                .as("nothing decodes yet: whole prompts in one step").isGreaterThan(Math.max(chunk, decoders));
        Sequence a = seq(1, tokens(r, 23), 4), b = seq(2, tokens(r, 9), 4);
        s.add(a);
        s.add(b);
        int bound = Math.max(chunk, decoders), steps = 0;
        while (a.computed < 23 || b.computed < 9) {
            List<Scheduler.Scheduled> plan = step(s, r);
            int prefill = plan.stream().filter(x -> x.start() < x.seq().promptLength).mapToInt(Scheduler.Scheduled::count).sum();
            assertThat(prefill).isBetween(1, bound);
            for (Sequence d : streams) assertThat(plan).anyMatch(x -> x.seq() == d && x.count() == 1);
            steps++;
        }
        assertThat(steps).isEqualTo((23 + 9 + bound - 1) / bound);
    }

    @Test
    void prefixHitsAreCountedAndSharedBlocksAreReferenceCounted() {
        Random r = new Random(2);
        BlockAllocator blocks = new BlockAllocator(32, 4);
        Scheduler s = new Scheduler(blocks, 8, 100, true);
        int[] shared = tokens(r, 13);
        Sequence a = seq(1, shared, 3);
        s.add(a);
        step(s, r);
        assertThat(blocks.cachedBlocks()).isEqualTo(3);         // 13 tokens: 3 full blocks published
        int[] other = java.util.Arrays.copyOf(shared, 15);
        other[13] = 7;
        other[14] = 8;
        Sequence b = seq(2, other, 3);
        s.add(b);
        step(s, r);
        assertThat(s.prefixHitTokens()).isEqualTo(12);
        assertThat(s.prefixQueryTokens()).isEqualTo(13 + 15);
        assertThat(b.blocks.get(0)).isEqualTo(a.blocks.get(0));
        assertThat(blocks.refCount(a.blocks.get(0))).isEqualTo(2);
        s.remove(a);
        s.remove(b);
        assertThat(blocks.usedBlocks()).isZero();
        assertThat(blocks.freeBlocks()).isEqualTo(32);
        assertThat(blocks.cachedBlocks()).isGreaterThanOrEqualTo(3);   // idle but still findable
        Sequence c = seq(3, shared, 3);
        s.add(c);
        step(s, r);
        assertThat(s.prefixHitTokens()).isEqualTo(24);
    }

    @Test
    void aFullPromptHitStillComputesItsLastToken() {
        Random r = new Random(3);
        Scheduler s = new Scheduler(new BlockAllocator(16, 4), 8, 100, true);
        int[] p = tokens(r, 8);
        s.add(seq(1, p, 2));
        step(s, r);
        Sequence again = seq(2, p, 2);
        s.add(again);
        List<Scheduler.Scheduled> plan = s.schedule();
        Scheduler.Scheduled mine = plan.stream().filter(x -> x.seq() == again).findFirst().orElseThrow();
        assertThat(mine.start()).isEqualTo(4);     // one block hit; the block holding the last token is recomputed
        assertThat(mine.samples()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5, 6})
    void preemptionAndCancellationLeaveNoBlocksBehind(long seed) {
        Random r = new Random(seed);
        BlockAllocator blocks = new BlockAllocator(12, 4);        // deliberately too small for everyone at once
        Scheduler s = new Scheduler(blocks, 6, 23, true);
        List<Sequence> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Sequence q = seq(i, tokens(r, 3 + r.nextInt(9)), 4 + r.nextInt(10));
            all.add(q);
            s.add(q);
        }
        int finished = 0;
        for (int it = 0; it < 2000 && finished < all.size(); it++) {
            step(s, r);
            assertThat(blocks.usedBlocks() + blocks.freeBlocks()).isEqualTo(12);
            for (Sequence q : all) {
                boolean done = q.outputLength() >= q.options.maxTokens();
                boolean cancel = r.nextInt(40) == 0 && !q.cancelled;
                if ((done || cancel) && (s.running.contains(q) || s.waiting.contains(q))) {
                    s.remove(q);
                    q.cancelled = true;
                    finished++;
                } else if (q.cancelled && !s.running.contains(q) && !s.waiting.contains(q)) {
                    // already gone
                }
            }
        }
        assertThat(finished).isEqualTo(all.size());
        assertThat(s.preemptions()).isPositive();
        assertThat(blocks.usedBlocks()).isZero();
        assertThat(blocks.freeBlocks()).isEqualTo(12);
        for (int b = 0; b < 12; b++) assertThat(blocks.refCount(b)).isZero();
    }

    @Test
    void evictionTakesTheLeastRecentlyReleasedCachedBlock() {
        BlockAllocator blocks = new BlockAllocator(3, 2);
        int a = blocks.allocate(), b = blocks.allocate();
        blocks.publish(a, 11);
        blocks.publish(b, 22);
        blocks.release(a);
        blocks.release(b);
        int c = blocks.allocate();               // the never-used block first
        assertThat(c).isNotIn(a, b);
        int d = blocks.allocate();               // then the oldest idle one: a, whose hash is forgotten
        assertThat(d).isEqualTo(a);
        assertThat(blocks.lookup(11)).isEqualTo(-1);
        assertThat(blocks.lookup(22)).isEqualTo(b);
        assertThat(blocks.hits()).isEqualTo(1);
        assertThat(blocks.queries()).isEqualTo(2);
    }
}
