package ai.tarka.tokenizers.train;

import ai.tarka.tokenizers.bpe.ByteUnicodeTable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gpt2BpeFilesTest {

    @Test
    void byteMappingIsAPermutationOfPrintableCharacters() {
        Set<Character> chars = new HashSet<>();
        Set<Integer> ordered = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteUnicodeTable.charOf(b);
            assertThat(Character.isWhitespace(c) || Character.isISOControl(c)).as("byte %d -> U+%04X", b, (int) c).isFalse();
            chars.add(c);
            ordered.add(ByteUnicodeTable.gpt2OrderByte(b));
        }
        assertThat(chars).hasSize(256);
        assertThat(ordered).hasSize(256);
        assertThat(ByteUnicodeTable.charOf(' ')).isEqualTo('Ġ');
        assertThat(ByteUnicodeTable.charOf('\n')).isEqualTo('Ċ');
        assertThat(ByteUnicodeTable.charOf(0)).isEqualTo('Ā');
        assertThat(ByteUnicodeTable.gpt2OrderByte(0)).isEqualTo('!');
        assertThat(ByteUnicodeTable.gpt2OrderByte(188)).isEqualTo(0);
    }

    @Test
    void vocabJsonEscapesSpecialTokensAndParsesBack(@TempDir Path dir) throws IOException {
        String odd = "<\"quoted\\\n\u0001>";
        var options = BpeTrainerOptions.of(300).withSpecialTokens(List.of(odd, "<|end|>")).withCountingThreads(1);
        TrainedBpe bpe = new BpeTrainer(options).train("the cat the hat the mat", TrainingProgress.NONE);
        Path file = dir.resolve("vocab.json");
        Gpt2BpeFiles.writeVocabJson(bpe, file);
        @SuppressWarnings("unchecked")
        Map<String, Integer> parsed = new ObjectMapper().readValue(file.toFile(), LinkedHashMap.class);
        assertThat(parsed).hasSize(bpe.vocabSize());
        assertThat(parsed.get(odd)).isEqualTo(0);
        assertThat(parsed.get("<|end|>")).isEqualTo(1);
        assertThat(parsed.get("Ġ")).isEqualTo(2 + 220);
        assertThat(parsed.get("Ġthe")).isNotNull();
        assertThat(new ArrayList<>(parsed.values())).isSorted();
    }

    @Test
    void mergesFileOptionallyStartsWithTheVersionLine(@TempDir Path dir) throws IOException {
        // " bb" once, "aa" twice: (a,a) first, then (b,b) beats the equally rare (Ġ,b) on bytes.
        TrainedBpe bpe = new BpeTrainer(BpeTrainerOptions.of(258).withCountingThreads(1)).train("aa bb aa", TrainingProgress.NONE);
        Path file = dir.resolve("merges.txt");
        Gpt2BpeFiles.writeMerges(bpe, file, true);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("#version: 0.2\na a\nb b\n");
    }

    @Test
    void duplicateTokenTextIsRefused(@TempDir Path dir) {
        // A special token spelt like a byte token would give vocab.json two equal keys.
        var options = BpeTrainerOptions.of(300).withSpecialTokens(List.of("a")).withCountingThreads(1);
        TrainedBpe bpe = new BpeTrainer(options).train("xyz", TrainingProgress.NONE);
        assertThatThrownBy(() -> Gpt2BpeFiles.writeVocabJson(bpe, dir.resolve("vocab.json")))
                .hasMessageContaining("token a").hasMessageContaining("appears twice");
        assertThat(dir.resolve("vocab.json")).doesNotExist();
    }
}
