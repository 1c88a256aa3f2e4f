package ai.tarka.tokenizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.hf.HfTokenizerJson;
import ai.tarka.tokenizers.hf.HfTokenizerJsonWriter;
import ai.tarka.tokenizers.train.BpeTrainer;
import ai.tarka.tokenizers.train.BpeTrainerOptions;
import ai.tarka.tokenizers.train.TrainedBpe;
import ai.tarka.tokenizers.train.TrainingProgress;
import java.util.List;
import ai.tarka.tokenizers.spm.SentencePieceBpeTokenizer;
import ai.tarka.tokenizers.wordpiece.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BOS/EOS rules from each format's own configuration, and special tokens inside raw text for SPM and WordPiece. */
class BoundaryAndSpecialTokensTest {
    private static final SentencePieceBpeTokenizer PHI3 =
            SentencePieceBpeTokenizer.fromGguf(GgufFile.open(SharedData.resolve("llama-cpp-vocab/ggml-vocab-phi-3.gguf")));
    private static final WordPieceTokenizer BGE =
            WordPieceTokenizer.fromGguf(GgufFile.open(SharedData.resolve("llama-cpp-vocab/ggml-vocab-bert-bge.gguf")));

    @Test
    void applyAddsPrefixAndSuffixOnceEach() {
        BoundaryTokens b = new BoundaryTokens(new int[] {1}, new int[] {2});
        assertThat(b.apply(new int[] {5, 6})).containsExactly(1, 5, 6, 2);
        assertThat(b.apply(new int[0])).containsExactly(1, 2);
        // already there: not doubled
        assertThat(b.apply(new int[] {1, 5, 2})).containsExactly(1, 5, 2);
        assertThat(b.hasPrefix(new int[] {1, 5})).isTrue();
        assertThat(BoundaryTokens.NONE.apply(new int[] {1, 2})).containsExactly(1, 2);
        assertThat(BoundaryTokens.of(7, false, 8, true)).isEqualTo(new BoundaryTokens(new int[0], new int[] {8}));
        assertThat(BoundaryTokens.of(-1, true, -1, true).isEmpty()).isTrue();
    }

    @Test
    void phi3GgufAddsBosOnlyAndNeverTwice() {
        // tokenizer.ggml.add_bos_token = true, add_eos_token = false, BOS = <s> (1)
        int[] plain = PHI3.encode("Hello world");
        assertThat(PHI3.encode("Hello world", true)).startsWith(1).hasSize(plain.length + 1).endsWith(plain[plain.length - 1]);
        int[] doubled = PHI3.encode("<s>Hello world", true);
        assertThat(doubled[0]).isEqualTo(1);
        assertThat(doubled[1]).isNotEqualTo(1);
        assertThat(PHI3.encode("Hello", false)).containsExactly(PHI3.encode("Hello"));
    }

    @Test
    void phi3ControlTokensAreRecognisedOrPlainText() {
        int[] ids = PHI3.encode("<|user|>\nHi<|end|>");
        assertThat(ids[0]).isEqualTo(32010);
        assertThat(ids[ids.length - 1]).isEqualTo(32007);
        int[] plain = PHI3.encodeOrdinary("<|user|>\nHi<|end|>");
        assertThat(plain).doesNotContain(32010, 32007);
        assertThat(PHI3.decode(plain)).isEqualTo("<|user|>\nHi<|end|>");
        // </s> is a user-defined token in this vocabulary: cut out either way, as llama.cpp does
        assertThat(PHI3.encodeOrdinary("a</s>")).contains(2);
    }

    @Test
    void bertGgufAddsClsAndSepAndRecognisesItsControlTokens() {
        int[] plain = BGE.encode("hello world");
        assertThat(BGE.encode("hello world", true)).startsWith(101).endsWith(102).hasSize(plain.length + 2);
        assertThat(BGE.encode("[CLS] hello [MASK] world [SEP]")).containsExactly(101, plain[0], 103, plain[1], 102);
        assertThat(BGE.encodeOrdinary("[MASK]")).doesNotContain(103).hasSizeGreaterThan(1);
        assertThat(BGE.encode("[CLS] hello world [SEP]", true)).containsExactly(101, plain[0], plain[1], 102);
    }

    @Test
    void tokenizerConfigFlagsGiveBosAndEosWhenThePostProcessorAddsNothing(@TempDir Path dir) throws IOException {
        TrainedBpe bpe = new BpeTrainer(BpeTrainerOptions.of(300).withSpecialTokens(List.of("<s>", "</s>")).withCountingThreads(1))
                .train("the cat sat on the mat, the hat sat on the cat", TrainingProgress.NONE);
        Path json = dir.resolve("tokenizer.json");
        HfTokenizerJsonWriter.write(bpe, json);
        assertThat(HfTokenizerJson.loadAny(json).boundaryTokens().isEmpty()).isTrue();
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"add_bos_token\": true, \"bos_token\": \"<s>\", \"add_eos_token\": true, \"eos_token\": {\"content\": \"</s>\"}}");
        TextTokenizer t = HfTokenizerJson.loadAny(json);
        int[] cat = t.encode(" cat");
        assertThat(t.encode(" cat", true)).containsExactly(0, cat[0], 1);
        assertThat(t.encode("<s> cat</s>", true)).containsExactly(0, cat[0], 1);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": true, \"bos_token\": \"<missing>\"}");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(json)).hasMessageContaining("tokenizer.json").hasMessageContaining("<missing>");
    }
}
