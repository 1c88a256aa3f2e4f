package ai.tarka.cli.tokenizer;

import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import java.nio.file.Path;

/** Turns the {@code --tokenizer} argument into a tokenizer; the formats are listed on {@link TokenizerLoader}. */
final class TokenizerLocator {
    private TokenizerLocator() {}

    static TextTokenizer load(Path path) {
        return TokenizerLoader.load(path);
    }
}
