package ai.tarka.nn.integration;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A deterministic synthetic task: {@code a0 … a(L−1) SEP} followed by the same symbols reversed.
 * Only the reversed half is trained (the prompt is random, so predicting it is hopeless); a model
 * solves it by attending from each output position to a fixed mirrored input position.
 * Sequences are split into training and held-out ones by their base-{@code symbols} code, so no
 * held-out sequence is ever trained on.
 */
final class ReverseTask {
    final int length;
    final int symbols;
    final int separator;

    ReverseTask(int length, int symbols) {
        this.length = length;
        this.symbols = symbols;
        this.separator = symbols;
    }

    /** Smallest vocabulary that holds the symbols and the separator. */
    int vocab() {
        return symbols + 1;
    }

    /** Model input length: the prompt, the separator and all but the last output symbol. */
    int inputLength() {
        return 2 * length;
    }

    /** A random prompt from the training or the held-out part of the sequence space. */
    int[] prompt(RandomGenerator rng, boolean heldOut) {
        while (true) {
            int[] a = rng.ints(length, 0, symbols).toArray();
            if (isHeldOut(a) == heldOut) return a;
        }
    }

    private boolean isHeldOut(int[] a) {
        long code = 0;
        for (int s : a) code = code * symbols + s;
        return code % 5 == 0;
    }

    /** The whole sequence: prompt, separator, prompt reversed. */
    int[] sequence(int[] prompt) {
        int[] seq = new int[2 * length + 1];
        System.arraycopy(prompt, 0, seq, 0, length);
        seq[length] = separator;
        for (int i = 0; i < length; i++) seq[length + 1 + i] = prompt[length - 1 - i];
        return seq;
    }

    /** {@code rows} training sequences, next-token targets on the reversed half only. */
    TokenBatch batch(RandomGenerator rng, int rows, boolean heldOut) {
        int t = inputLength();
        int[] ids = new int[rows * t], targets = new int[rows * t];
        Arrays.fill(targets, TokenBatch.IGNORE);
        for (int r = 0; r < rows; r++) {
            int[] seq = sequence(prompt(rng, heldOut));
            System.arraycopy(seq, 0, ids, r * t, t);
            for (int i = length; i < t; i++) targets[r * t + i] = seq[i + 1];
        }
        return TokenBatch.causal(ids, targets, rows, t);
    }
}
