package ai.tarka.cli.generate;

import ai.tarka.inference.LayerWeights;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.models.ModelConfig;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** One line about loaded weights: size and the formats of their matrices. */
final class ModelFacts {
    private ModelFacts() {}

    static String describe(LlamaWeights w) {
        ModelConfig c = w.config();
        Map<QuantFormat, Integer> formats = new EnumMap<>(QuantFormat.class);
        for (LayerWeights l : w.layers()) for (var m : l.matrices()) formats.merge(m.format(), 1, Integer::sum);
        formats.merge(w.output().format(), 1, Integer::sum);
        return String.format(Locale.ROOT, "%d layers, width %d, vocab %d, %.1f MB read per token, matrices %s",
                c.numLayers(), c.hiddenSize(), c.vocabSize(), w.bytesPerToken() / 1e6, formats);
    }
}
