package ai.tarka.tokenizers.bpe;

import java.nio.file.Path;

/** A tokenizer file that cannot be read as its format says; the message names the file and, where known, the line. */
public final class TokenizerFormatException extends RuntimeException {
    public TokenizerFormatException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }

    public TokenizerFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
