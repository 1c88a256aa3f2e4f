package ai.tarka.tokenizers.hf;

import ai.tarka.common.SharedData;

/** The shared Qwen3 tokenizer, loaded once per test JVM. */
final class Qwen3Tokenizer {
    private Qwen3Tokenizer() {}

    private static final class Holder { static final HfTokenizer TOKENIZER = HfTokenizerJson.load(SharedData.resolve("qwen3-tokenizer/tokenizer.json.gz")); }

    static HfTokenizer get() {
        return Holder.TOKENIZER;
    }
}
