package ai.tarka.cli.tokenizer;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --tokenizer PATH} option shared by the tokenizer subcommands; {@link TokenizerLocator} opens it. */
final class TokenizerPathOption {
    @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
            description = "tokenizer.json[.gz] or a folder holding one, a GGUF file (llama, bert, gpt2 tokenizers), "
                    + "a llama2.c tokenizer.bin, a tiktoken rank file (r50k_base/cl100k_base/o200k_base.tiktoken), "
                    + "or a folder with GPT-2 files (encoder.json/vocab.json + vocab.bpe/merges.txt).")
    Path path;
}
