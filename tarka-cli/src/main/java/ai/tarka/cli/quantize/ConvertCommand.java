package ai.tarka.cli.quantize;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.cli.generate.ModelTokenizerLocator;
import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.formats.gguf.GgufValue;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
import ai.tarka.inference.convert.CheckpointWriters;
import ai.tarka.inference.convert.GgufLlamaWriter;
import ai.tarka.inference.convert.TokenizerMetadata;
import ai.tarka.kernels.quant.QuantFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tarka convert}: a Llama model between GGUF (F32), llama2.c .bin and safetensors / Tarka checkpoint directories. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a Llama model between GGUF, llama2.c .bin and a safetensors directory (config.json + model.safetensors).")
public final class ConvertCommand implements Callable<Integer>, StagedCommand {
    @Option(names = "--to", description = "gguf, bin or safetensors (default: from OUT: .gguf, .bin, else a safetensors directory).")
    String to;

    @Parameters(index = "0", paramLabel = "IN", description = "Input model.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output file or directory.")
    Path out;

    @Override
    public Stage stage() {
        return Stage.INFER;
    }

    @Override
    public Integer call() {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        String target = to != null ? to.toLowerCase(Locale.ROOT) : name.endsWith(".gguf") ? "gguf" : name.endsWith(".bin") ? "bin" : "safetensors";
        long t0 = System.nanoTime();
        try (LlamaWeights w = ModelLoader.load(in, 0)) {
            switch (target) {
                case "gguf" -> {
                    Map<String, GgufValue> tok = Map.of();
                    if (Files.isRegularFile(in) && in.toString().endsWith(".gguf")) tok = TokenizerMetadata.fromGguf(GgufFile.open(in));
                    else {
                        try {
                            Path t = ModelTokenizerLocator.locate(in, null);
                            if (t.toString().endsWith(".bin")) tok = TokenizerMetadata.fromLlama2c(t, w.config().vocabSize());
                        } catch (IllegalArgumentException noTokenizer) {
                            // written without a vocabulary
                        }
                    }
                    GgufLlamaWriter.write(w, QuantFormat.F32, tok, name.replaceFirst("\\.gguf$", ""), out);
                }
                case "bin" -> CheckpointWriters.writeLlama2c(w, out);
                case "safetensors" -> CheckpointWriters.writeSafetensors(w, out);
                default -> throw new IllegalArgumentException("convert: --to must be gguf, bin or safetensors, got " + to);
            }
        }
        System.out.printf(Locale.ROOT, "wrote %s (%s) in %.2f s%n", out, target, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
