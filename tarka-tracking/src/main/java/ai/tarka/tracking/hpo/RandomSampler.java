package ai.tarka.tracking.hpo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Independent uniform draws (log-uniform for log ranges). */
public final class RandomSampler implements Sampler {
    @Override
    public Map<String, Object> sample(SearchSpace space, List<FrozenTrial> finished, Direction direction, int trialNumber, Random rng) {
        Map<String, Object> out = new LinkedHashMap<>();
        space.params().forEach((name, d) -> out.put(name, d.sampleUniform(rng)));
        return out;
    }
}
