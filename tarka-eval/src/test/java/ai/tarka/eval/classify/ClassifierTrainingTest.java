package ai.tarka.eval.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassifierTrainingTest {

    @Test
    void tinyEncoderLearnsSentimentAboveChance() {
        List<LabelledText> all = LabelledText.uciSentiment();
        assertThat(all).hasSize(3000);
        LabelledText.Split split = LabelledText.split(all, 0.2, 1);
        // a quarter of the training split keeps the test quick; chance is about 0.5
        LabelledText.Split small = new LabelledText.Split(split.train().subList(0, 800), split.heldOut());
        ClassifierTraining.Result r = ClassifierTraining.train(small, ClassifierTraining.Config.tiny(), null);
        System.out.println("tiny sentiment classifier: " + r);
        assertThat(r.lastLoss()).isLessThan(r.firstLoss());
        assertThat(r.heldOutAccuracy()).isGreaterThan(0.6).isGreaterThan(r.majorityBaseline() + 0.05);
    }

    @Test
    void splitIsSeededAndDisjoint() {
        List<LabelledText> all = new ArrayList<>();
        Random rng = new Random(3);
        for (int i = 0; i < 37; i++) all.add(new LabelledText("s" + i, rng.nextInt(2)));
        LabelledText.Split a = LabelledText.split(all, 0.3, 5), b = LabelledText.split(all, 0.3, 5);
        assertThat(a).isEqualTo(b);
        assertThat(a.heldOut()).hasSize(11).doesNotContainAnyElementsOf(a.train());
    }

    @Test
    void vocabularyMapsRareWordsToUnknown() {
        WordVocabulary v = WordVocabulary.build(List.of("Good food, good!", "bad food"), 2);
        assertThat(v.encode("good food terrible", 10)).containsExactly(v.encode("good", 1)[0], v.encode("food", 1)[0], WordVocabulary.UNKNOWN);
        assertThat(WordVocabulary.words("Don't stop.")).containsExactly("don't", "stop", ".");
    }
}
