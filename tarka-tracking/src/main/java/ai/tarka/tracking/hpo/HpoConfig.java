package ai.tarka.tracking.hpo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A study definition, read from YAML:
 * <pre>
 * study: lr-warmup            # experiment and study name
 * direction: minimize         # or maximize
 * sampler: tpe                # random | grid | tpe
 * seed: 42
 * trials: 12
 * timeout_s: 0                # 0: none
 * parallel: 1
 * pruner: {type: median, startup_trials: 5, warmup_steps: 0, interval_steps: 1}   # or type: none
 * tpe: {startup_trials: 10, ei_candidates: 24}
 * objective: {name: quadratic, steps: 20}
 * space:
 *   lr: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}
 *   warmup: {type: int, low: 0, high: 200, step: 10}
 *   optimizer: {type: categorical, choices: [adamw, sgd]}
 * </pre>
 */
public record HpoConfig(String study, Direction direction, String sampler, long seed, int trials, double timeoutSeconds,
                        int parallel, MedianPruner pruner, int tpeStartupTrials, int tpeEiCandidates,
                        String objective, Map<String, Object> objectiveOptions, SearchSpace space) {

    public static HpoConfig read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the study config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(file + ": the study config must be a YAML mapping");
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static HpoConfig parse(JsonNode root) {
        String study = root.path("study").asText("");
        if (study.isBlank()) throw new IllegalArgumentException("field 'study' (the study name) is required");
        Direction direction = switch (root.path("direction").asText("minimize").toLowerCase(Locale.ROOT)) {
            case "minimize" -> Direction.MINIMIZE;
            case "maximize" -> Direction.MAXIMIZE;
            default -> throw new IllegalArgumentException("field 'direction': expected minimize or maximize, got '" + root.path("direction").asText() + "'");
        };
        String sampler = root.path("sampler").asText("tpe").toLowerCase(Locale.ROOT);
        if (!List.of("tpe", "random", "grid").contains(sampler)) {
            throw new IllegalArgumentException("field 'sampler': expected tpe, random or grid, got '" + sampler + "'");
        }
        JsonNode pr = root.path("pruner");
        MedianPruner pruner = null;
        String prunerType = pr.path("type").asText(pr.isTextual() ? pr.asText() : "median").toLowerCase(Locale.ROOT);
        if (prunerType.equals("median")) {
            MedianPruner d = MedianPruner.defaults();
            pruner = new MedianPruner(pr.path("startup_trials").asInt(d.startupTrials()), pr.path("warmup_steps").asLong(d.warmupSteps()),
                    pr.path("interval_steps").asLong(d.intervalSteps()));
        } else if (!prunerType.equals("none")) {
            throw new IllegalArgumentException("field 'pruner.type': expected median or none, got '" + prunerType + "'");
        }
        JsonNode obj = root.path("objective");
        String objective = obj.isTextual() ? obj.asText() : obj.path("name").asText("");
        if (objective.isBlank()) throw new IllegalArgumentException("field 'objective.name' is required (e.g. quadratic)");
        Map<String, Object> options = obj.isObject() ? new ObjectMapper().convertValue(obj, LinkedHashMap.class) : new LinkedHashMap<>();
        options.remove("name");
        JsonNode space = root.path("space");
        if (!space.isObject() || space.isEmpty()) throw new IllegalArgumentException("field 'space' must map parameter names to distributions");
        Map<String, Distribution> dists = new LinkedHashMap<>();
        for (var it = space.fields(); it.hasNext(); ) {
            var e = it.next();
            try {
                dists.put(e.getKey(), distribution(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("space." + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        int trials = root.path("trials").asInt(20);
        if (trials < 1) throw new IllegalArgumentException("field 'trials' must be >= 1");
        int parallel = root.path("parallel").asInt(1);
        if (parallel < 1) throw new IllegalArgumentException("field 'parallel' must be >= 1");
        return new HpoConfig(study, direction, sampler, root.path("seed").asLong(0), trials, root.path("timeout_s").asDouble(0),
                parallel, pruner, root.path("tpe").path("startup_trials").asInt(TpeSampler.DEFAULT_STARTUP_TRIALS),
                root.path("tpe").path("ei_candidates").asInt(TpeSampler.DEFAULT_EI_CANDIDATES), objective, options,
                new SearchSpace(dists));
    }

    static Distribution distribution(JsonNode d) {
        String type = d.path("type").asText("");
        return switch (type) {
            case "float" -> new Distribution.FloatRange(number(d, "low"), number(d, "high"), d.path("log").asBoolean(false), d.path("step").asDouble(0));
            case "int" -> new Distribution.IntRange((long) number(d, "low"), (long) number(d, "high"), d.path("log").asBoolean(false), d.path("step").asLong(1));
            case "categorical" -> {
                if (!d.path("choices").isArray()) throw new IllegalArgumentException("categorical needs a 'choices' list");
                List<String> choices = new ArrayList<>();
                d.path("choices").forEach(c -> choices.add(c.asText()));
                yield new Distribution.Categorical(choices);
            }
            default -> throw new IllegalArgumentException("'type' must be float, int or categorical, got '" + type + "'");
        };
    }

    private static double number(JsonNode d, String field) {
        JsonNode n = d.get(field);
        if (n == null || n.isNull()) throw new IllegalArgumentException("'" + field + "' is required");
        if (n.isNumber()) return n.asDouble();
        try {
            return Double.parseDouble(n.asText()); // YAML 1.1 reads 1e-4 (no dot) as a string
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + field + "' must be a number, got '" + n.asText() + "'");
        }
    }

    public HpoConfig withOverrides(Integer trials, Double timeoutSeconds, Integer parallel) {
        return new HpoConfig(study, direction, sampler, seed, trials != null ? trials : this.trials,
                timeoutSeconds != null ? timeoutSeconds : this.timeoutSeconds, parallel != null ? parallel : this.parallel,
                pruner, tpeStartupTrials, tpeEiCandidates, objective, objectiveOptions, space);
    }

    public Sampler newSampler() {
        return switch (sampler) {
            case "random" -> new RandomSampler();
            case "grid" -> new GridSampler(seed);
            default -> new TpeSampler(tpeStartupTrials, tpeEiCandidates);
        };
    }
}
