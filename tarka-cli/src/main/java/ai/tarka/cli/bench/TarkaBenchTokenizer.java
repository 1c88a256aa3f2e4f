package ai.tarka.cli.bench;

import ai.tarka.kernels.ComputePool;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.concurrent.atomic.AtomicLongArray;

/** A Tarka tokenizer under measurement; batches run over {@link ComputePool#shared()}. */
final class TarkaBenchTokenizer implements BenchTokenizer {
    private final String name;
    private final TextTokenizer tokenizer;

    TarkaBenchTokenizer(String name, TextTokenizer tokenizer) {
        this.name = name;
        this.tokenizer = tokenizer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long[] ids(String document) {
        int[] ids = tokenizer.encode(document);
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = ids[i];
        return out;
    }

    @Override
    public long encodeSequential(String[] documents) {
        long tokens = 0;
        for (String d : documents) tokens += tokenizer.encode(d).length;
        return tokens;
    }

    @Override
    public long encodeBatched(String[] documents) {
        ComputePool pool = ComputePool.shared();
        AtomicLongArray perWorker = new AtomicLongArray(pool.threads());
        pool.runWorkers(pool.threads(), (worker, workers) -> {
            // interleaved documents so that a slow region of the corpus does not land on one worker
            long tokens = 0;
            for (int i = worker; i < documents.length; i += workers) tokens += tokenizer.encode(documents[i]).length;
            perWorker.set(worker, tokens);
        });
        long total = 0;
        for (int i = 0; i < perWorker.length(); i++) total += perWorker.get(i);
        return total;
    }
}
