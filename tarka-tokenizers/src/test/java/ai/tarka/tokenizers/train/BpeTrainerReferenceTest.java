package ai.tarka.tokenizers.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on the CS336 fixture corpus reproduces the reference merges and vocab byte for byte. */
class BpeTrainerReferenceTest {
    private static final Path FIXTURES = SharedData.resolve("cs336-bpe-fixtures");
    private static TrainedBpe trained;
    private static List<String> progressCalls;

    @BeforeAll
    static void train() throws IOException {
        progressCalls = new ArrayList<>();
        var options = BpeTrainerOptions.of(500).withSpecialTokens(List.of("<|endoftext|>")).withCountingThreads(2);
        trained = new BpeTrainer(options).train(FIXTURES.resolve("corpus.en"), (done, total) -> progressCalls.add(done + "/" + total));
    }

    @Test
    void mergesMatchTheReferenceInOrder() throws IOException {
        List<String> expected = Files.readAllLines(FIXTURES.resolve("train-bpe-reference-merges.txt"));
        List<String> actual = trained.merges().stream().map(BpeMerge::toString).toList();
        assertThat(actual).hasSize(243).containsExactlyElementsOf(expected);
    }

    @Test
    void writtenFilesEqualTheReferenceFiles(@TempDir Path dir) throws IOException {
        Path vocab = dir.resolve("vocab.json");
        Path merges = dir.resolve("merges.txt");
        Gpt2BpeFiles.writeVocabJson(trained, vocab);
        Gpt2BpeFiles.writeMerges(trained, merges, false);
        assertThat(Files.readString(vocab)).isEqualTo(Files.readString(FIXTURES.resolve("train-bpe-reference-vocab.json")));
        assertThat(Files.readString(merges)).isEqualTo(Files.readString(FIXTURES.resolve("train-bpe-reference-merges.txt")));
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("vocab.json", "merges.txt");
        }
    }

    @Test
    void vocabIsSpecialThenBytesThenMerges() {
        assertThat(trained.vocabSize()).isEqualTo(500);
        assertThat(new String(trained.tokenBytes(0))).isEqualTo("<|endoftext|>");
        assertThat(trained.tokenBytes(1)).containsExactly('!');
        assertThat(trained.tokenBytes(221)).containsExactly(' ');
        assertThat(trained.tokenBytes(257)).isEqualTo(trained.merges().getFirst().merged());
    }

    @Test
    void progressReportsEveryMerge() {
        assertThat(progressCalls).hasSize(244).startsWith("0/243").endsWith("243/243");
    }

    @Test
    void countingThreadsDoNotChangeTheResult() throws IOException {
        String text = Files.readString(FIXTURES.resolve("corpus.en"));
        var options = BpeTrainerOptions.of(500).withSpecialTokens(List.of("<|endoftext|>"));
        TrainedBpe one = new BpeTrainer(options.withCountingThreads(1)).train(text, TrainingProgress.NONE);
        TrainedBpe four = new BpeTrainer(options.withCountingThreads(4)).train(text, TrainingProgress.NONE);
        assertThat(four.merges()).isEqualTo(one.merges()).isEqualTo(trained.merges());
    }

    @Test
    void largerTextGivesTheSameMergesOnOneAndThreeThreads() throws IOException {
        String text = Files.readString(SharedData.resolve("tinyshakespeare/input.txt"));
        var options = BpeTrainerOptions.of(2000).withSpecialTokens(List.of("<|endoftext|>"));
        TrainedBpe one = new BpeTrainer(options.withCountingThreads(1)).train(text, TrainingProgress.NONE);
        TrainedBpe three = new BpeTrainer(options.withCountingThreads(3)).train(text, TrainingProgress.NONE);
        assertThat(one.merges()).hasSize(2000 - 257);
        assertThat(three.merges()).isEqualTo(one.merges());
    }
}
