package ai.tarka.eval;

import ai.tarka.eval.lm.CausalLmScorer;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.tokenizers.chars.CharTokenizer;
import java.util.stream.IntStream;

/** A randomly initialised 2-layer Llama over ASCII characters: fast, deterministic, good enough to exercise scoring. */
public final class TinyLm {
    private TinyLm() {}

    public static CausalLmScorer scorer(long seed, int maxPositions) {
        CharTokenizer tok = CharTokenizer.fromCodePoints(IntStream.range(0, 128).toArray());
        // width 24 and 3 heads: not a multiple of the vector width; vocab 128 with id 1 as BOS (a control character)
        ModelConfig config = ModelConfig.llama(128, maxPositions, 2, 3, 3, 24, 40);
        return new CausalLmScorer("tiny-" + seed, Models.create(config, seed), tok, 1, 2);
    }
}
