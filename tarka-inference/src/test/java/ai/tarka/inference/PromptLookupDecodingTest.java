package ai.tarka.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prompt-lookup speculation is lossless for greedy decoding and takes fewer steps on repetitive text. */
class PromptLookupDecodingTest {
    @Test
    void sameTokensAsPlainGreedyInFewerSteps() {
        TextTokenizer tok = TokenizerLoader.load(SharedData.resolve("stories260K/tok512.bin"));
        String story = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ";
        int[] body = tok.encode(story + story + "Once upon a time");
        int[] prompt = new int[body.length + 1];
        prompt[0] = 1;
        System.arraycopy(body, 0, prompt, 1, body.length);
        try (LlamaWeights w = ModelLoader.load(SharedData.resolve("stories260K/stories260K.bin"), 0)) {
            LlamaInference m = new LlamaInference(w, 512, 8);
            SequenceState s = m.newSequence();
            float[] logits = m.prefill(s, prompt);
            int[] plain = new int[120];
            for (int t = 0; t < plain.length; t++) {
                int best = 0;
                for (int i = 1; i < 512; i++) if (logits[i] > logits[best]) best = i;
                plain[t] = best;
                logits = m.forwardBatch(List.of(s), new int[] {best});
            }
            PromptLookupDecoding.Result r = new PromptLookupDecoding(m, 3, 6).generate(prompt, 120, new int[0], null);
            assertThat(r.tokens()).containsExactly(plain);
            System.out.printf("prompt lookup: %d tokens in %d steps (%d drafted, %d accepted)%n", r.tokens().length, r.steps(), r.drafted(), r.accepted());
            assertThat(r.steps()).isLessThan(100);
            assertThat(r.accepted()).isPositive();
        }
    }
}
