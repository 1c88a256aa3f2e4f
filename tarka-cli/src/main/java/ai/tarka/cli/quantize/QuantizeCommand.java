package ai.tarka.cli.quantize;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.cli.generate.Formats;
import ai.tarka.cli.generate.ModelTokenizerLocator;
import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.formats.gguf.GgufValue;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
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

/** {@code tarka quantize}: a Llama model re-encoded as a GGUF file llama.cpp can load. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantise a Llama model (GGUF, llama2.c .bin, safetensors/Tarka checkpoint) into a llama.cpp-compatible GGUF.")
public final class QuantizeCommand implements Callable<Integer>, StagedCommand {
    @Option(names = "--type", required = true, description = "q8_0, q4_0, f16, bf16 or f32.")
    String type;

    @Option(names = "--tokenizer", description = "Tokenizer whose vocabulary goes into the file (default: the input GGUF's, or a llama2.c tokenizer beside the model).")
    Path tokenizer;

    @Parameters(index = "0", paramLabel = "IN", description = "Input model.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output .gguf file.")
    Path out;

    @Override
    public Stage stage() {
        return Stage.INFER;
    }

    @Override
    public Integer call() {
        QuantFormat target = Formats.parse(type);
        GgufLlamaWriter.ggml(target); // refuses NF4 before any work
        long t0 = System.nanoTime();
        try (LlamaWeights w = ModelLoader.load(in, 0)) {
            Map<String, GgufValue> tok = Map.of();
            String note;
            if (Files.isRegularFile(in) && in.toString().toLowerCase(Locale.ROOT).endsWith(".gguf") && tokenizer == null
                    && GgufFile.open(in).has("tokenizer.ggml.model")) {
                tok = TokenizerMetadata.fromGguf(GgufFile.open(in));
                note = "vocabulary copied from " + in;
            } else {
                Path t = null;
                try {
                    t = ModelTokenizerLocator.locate(in, tokenizer);
                } catch (IllegalArgumentException e) {
                    note = "no tokenizer found: the file has no vocabulary (" + e.getMessage() + ")";
                }
                if (t != null && t.getFileName().toString().endsWith(".bin")) {
                    tok = TokenizerMetadata.fromLlama2c(t, w.config().vocabSize());
                    note = "vocabulary from " + t;
                } else if (t != null && t.getFileName().toString().endsWith(".gguf")) {
                    tok = TokenizerMetadata.fromGguf(GgufFile.open(t));
                    note = "vocabulary copied from " + t;
                } else {
                    note = t == null ? "no vocabulary written" : "vocabulary not written: " + t + " is not a llama2.c or GGUF vocabulary";
                }
            }
            String name = in.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            GgufLlamaWriter.write(w, target, tok, name, out);
            System.out.printf(Locale.ROOT, "wrote %s (%s, %.1f MB) in %.2f s; %s%n", out, target, fileMb(out), (System.nanoTime() - t0) / 1e9, note);
        }
        return 0;
    }

    private static double fileMb(Path p) {
        try {
            return Files.size(p) / 1e6;
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
