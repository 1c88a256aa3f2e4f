package ai.tarka.tracking.hpo;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Proposes the params of a new trial from the finished trials so far. */
public interface Sampler {
    Map<String, Object> sample(SearchSpace space, List<FrozenTrial> finished, Direction direction, int trialNumber, Random rng);

    /** The most trials this sampler can propose (a grid's size), or -1 when unlimited. */
    default int maxTrials(SearchSpace space) {
        return -1;
    }
}
