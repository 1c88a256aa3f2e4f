package ai.tarka.finetune;

import ai.tarka.finetune.config.ExcessLengthStrategy;
import ai.tarka.finetune.config.FinetuneConfig;
import ai.tarka.finetune.data.DatasetException;
import ai.tarka.finetune.data.DatasetSpec;
import ai.tarka.finetune.data.Example;
import ai.tarka.finetune.data.PackedRows;
import ai.tarka.finetune.data.RawRecords;
import ai.tarka.finetune.data.RecordConverter;
import ai.tarka.finetune.data.SampleEncoder;
import ai.tarka.finetune.data.SftData;
import ai.tarka.finetune.data.TokenizedSample;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.chat.ChatTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A config's datasets, read, converted, tokenized with masks, split into training and validation examples (a
 * seeded shuffle) and laid out in rows. Every example is encoded here, before training, so a bad record stops the
 * run before the first step.
 *
 * @param train      training examples, tokenized
 * @param validation validation examples, tokenized
 * @param sources    for each training example, its file and record number (for --debug)
 */
public record FinetuneData(List<TokenizedSample> train, List<TokenizedSample> validation, List<String> sources, SftData batches,
                           int padId) {

    public static FinetuneData prepare(FinetuneConfig config, TextTokenizer tokenizer, ChatTemplate template, int bos, int eos,
                                       int vocab, Consumer<String> warnings) {
        SampleEncoder encoder = new SampleEncoder(tokenizer, template, bos, eos, warnings);
        List<TokenizedSample> all = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (DatasetSpec spec : config.datasets()) {
            List<Example> examples = new RecordConverter(spec).convert(RawRecords.read(spec.path()));
            for (int i = 0; i < examples.size(); i++) {
                String w = spec.path().getFileName() + " record " + i;
                TokenizedSample s = encoder.encode(examples.get(i), spec.trainOnInputs(), w);
                for (int t : s.tokens()) {
                    if (t < 0 || t >= vocab) throw new DatasetException(w + ": token id " + t + " is outside the model's vocabulary of " + vocab);
                }
                all.add(s);
                where.add(w);
            }
        }
        dropOrRefuseLong(config, all, where, warnings);
        int n = all.size();
        int val = config.valSetSize() >= 1 ? (int) config.valSetSize() : (int) Math.round(config.valSetSize() * n);
        if (val >= n) {
            throw new DatasetException(config.describe() + ": val_set_size " + config.valSetSize() + " leaves no training example out of " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(config.seed());
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<TokenizedSample> train = new ArrayList<>(), validation = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (k < val) {
                validation.add(all.get(order[k]));
            } else {
                train.add(all.get(order[k]));
                sources.add(where.get(order[k]));
            }
        }
        int pad = eos >= 0 ? eos : 0;
        PackedRows trainRows = PackedRows.build(train, config.sequenceLen(), config.samplePacking(), pad);
        PackedRows valRows = PackedRows.build(validation, config.sequenceLen(), config.samplePacking(), pad);
        if (trainRows.truncatedSamples() > 0) {
            warnings.accept(trainRows.truncatedSamples() + " training examples are longer than sequence_len " + config.sequenceLen()
                    + " and were truncated (their EOS is cut off; excess_length_strategy: drop leaves them out instead)");
        }
        return new FinetuneData(train, validation, sources, new SftData(trainRows, valRows, config.microBatchSize(), config.seed(), pad), pad);
    }

    /**
     * Applies {@code excess_length_strategy} to examples longer than {@code sequence_len}, before the validation split:
     * drop removes them (a warning counts them), raise stops at the first, truncate leaves them to the packer.
     */
    private static void dropOrRefuseLong(FinetuneConfig config, List<TokenizedSample> all, List<String> where, Consumer<String> warnings) {
        int seqLen = config.sequenceLen();
        if (config.excessLength() == ExcessLengthStrategy.TRUNCATE) return;
        int kept = 0, longest = 0;
        for (int i = 0; i < all.size(); i++) {
            TokenizedSample s = all.get(i);
            if (s.length() <= seqLen) {
                all.set(kept, s);
                where.set(kept, where.get(i));
                kept++;
                continue;
            }
            if (config.excessLength() == ExcessLengthStrategy.RAISE) {
                throw new DatasetException(config.describe() + ": " + where.get(i) + " is " + s.length()
                        + " tokens, longer than sequence_len " + seqLen + " (excess_length_strategy: raise; drop leaves such "
                        + "examples out, truncate keeps their start)");
            }
            longest = Math.max(longest, s.length());
        }
        int dropped = all.size() - kept;
        all.subList(kept, all.size()).clear();
        where.subList(kept, where.size()).clear();
        if (kept == 0) {
            throw new DatasetException(config.describe() + ": every one of the " + dropped + " examples is longer than sequence_len "
                    + seqLen + " (the longest has " + longest + " tokens); raise sequence_len or set excess_length_strategy: truncate");
        }
        if (dropped > 0) {
            warnings.accept(dropped + " of " + (kept + dropped) + " examples are longer than sequence_len " + seqLen + " (up to " + longest
                    + " tokens) and were left out (excess_length_strategy: drop; truncate keeps their start, without the EOS)");
        }
    }
}
