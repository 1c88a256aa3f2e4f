package ai.tarka.tokenizers.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
    /** The CS336 handout's example, pre-tokenized on whitespace. */
    private static final String HANDOUT = "low low low low low lower lower widest widest widest newest newest newest newest newest newest";
    /** Worked out by hand: most frequent pair, ties to the greatest (left, right) byte strings. */
    private static final List<String> HANDOUT_MERGES = List.of(
            "s t", "e st", "o w", "l ow", "w est", "n e", "ne west", "w i", "wi d", "wid est", "low e", "lowe r");

    private static BpeTrainerOptions whitespaceWords(int vocabSize) {
        return BpeTrainerOptions.of(vocabSize).withPreTokenizer(Pattern.compile("\\S+")).withCountingThreads(1);
    }

    private static List<String> merges(TrainedBpe bpe) {
        return bpe.merges().stream().map(BpeMerge::toString).toList();
    }

    @Test
    void handoutExampleMergesAsWorkedOutByHand() {
        TrainedBpe bpe = new BpeTrainer(whitespaceWords(256 + 12)).train(HANDOUT, TrainingProgress.NONE);
        assertThat(merges(bpe)).containsExactlyElementsOf(HANDOUT_MERGES);
        assertThat(new String(bpe.tokenBytes(256 + 11), StandardCharsets.UTF_8)).isEqualTo("lower");
    }

    @Test
    void stopsWhenNoPairIsLeft() {
        TrainedBpe bpe = new BpeTrainer(whitespaceWords(1000)).train(HANDOUT, TrainingProgress.NONE);
        assertThat(merges(bpe)).containsExactlyElementsOf(HANDOUT_MERGES);
        assertThat(bpe.vocabSize()).isEqualTo(256 + 12);
    }

    @Test
    void stopsBelowTheMinimumPairFrequency() {
        TrainedBpe bpe = new BpeTrainer(whitespaceWords(1000).withMinPairFrequency(3)).train(HANDOUT, TrainingProgress.NONE);
        assertThat(merges(bpe)).containsExactlyElementsOf(HANDOUT_MERGES.subList(0, 10));
    }

    @Test
    void overlappingRunsMergeLeftToRight() {
        // "aaaaa" x 3: (a,a) first; the word becomes [aa, aa, a], then (aa,aa) occurs 3 times.
        TrainedBpe bpe = new BpeTrainer(whitespaceWords(258)).train("aaaaa aaaaa aaaaa", TrainingProgress.NONE);
        assertThat(merges(bpe)).containsExactly("a a", "aa aa");
    }

    @Test
    void specialTokensSplitTheTextAndAreNeverMerged() {
        String special = "<|endoftext|>";
        String text = ("ab" + special + "cd" + special + special).repeat(3);
        var options = BpeTrainerOptions.of(1000).withSpecialTokens(List.of(special)).withCountingThreads(2);
        TrainedBpe bpe = new BpeTrainer(options).train(text, TrainingProgress.NONE);
        assertThat(merges(bpe)).containsExactly("c d", "a b");
        assertThat(new String(bpe.tokenBytes(0), StandardCharsets.UTF_8)).isEqualTo(special);
        assertThat(bpe.isSpecial(0)).isTrue();
        assertThat(bpe.isSpecial(1)).isFalse();

        TrainedBpe plain = new BpeTrainer(BpeTrainerOptions.of(1000).withCountingThreads(2)).train(text, TrainingProgress.NONE);
        assertThat(merges(plain)).anyMatch(m -> m.contains("|"));
    }

    @Test
    void byteValueOrderNumbersBytesByValue() {
        TrainedBpe bpe = new BpeTrainer(whitespaceWords(300).withByteTokenOrder(ByteTokenOrder.BYTE_VALUE))
                .train("hello", TrainingProgress.NONE);
        assertThat(bpe.tokenBytes(0)).containsExactly(0);
        assertThat(bpe.tokenBytes(' ')).containsExactly(' ');
        assertThat(bpe.vocabSize()).isEqualTo(256 + 4);
    }

    @Test
    void badOptionsAreRejectedWithTheNumbers() {
        assertThatThrownBy(() -> BpeTrainerOptions.of(256).withSpecialTokens(List.of("<|endoftext|>")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocab size 256").hasMessageContaining("256 byte tokens + 1 special tokens = 257");
        assertThatThrownBy(() -> BpeTrainerOptions.of(100)).hasMessageContaining("vocab size 100");
        assertThatThrownBy(() -> BpeTrainerOptions.of(300).withMinPairFrequency(0))
                .hasMessageContaining("minimum pair frequency 0");
        assertThatThrownBy(() -> BpeTrainerOptions.of(300).withCountingThreads(0)).hasMessageContaining("counting threads 0");
        assertThatThrownBy(() -> BpeTrainerOptions.of(300).withSpecialTokens(List.of("<s>", "<s>")))
                .hasMessageContaining("special token <s> given twice");
        assertThatThrownBy(() -> BpeTrainerOptions.of(300).withSpecialTokens(List.of(""))).hasMessageContaining("empty");
    }

    @Test
    void textWithNothingToMergeGivesTheBaseVocab() {
        var options = BpeTrainerOptions.of(400).withSpecialTokens(List.of("<|endoftext|>")).withCountingThreads(3);
        for (String text : List.of("", "<|endoftext|><|endoftext|>", "a\nb\nc")) {
            TrainedBpe bpe = new BpeTrainer(options).train(text, TrainingProgress.NONE);
            assertThat(bpe.merges()).as(text).isEmpty();
            assertThat(bpe.vocabSize()).as(text).isEqualTo(257);
        }
    }
}
