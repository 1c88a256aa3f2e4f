package ai.tarka.eval.classify;

import ai.tarka.common.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Sentences with integer labels, read from tab-separated {@code text<TAB>label} files, and a seeded split. */
public record LabelledText(String text, int label) {

    public record Split(List<LabelledText> train, List<LabelledText> heldOut) {}

    /** The UCI sentiment sentences (Amazon, IMDB, Yelp: 3000, labels 0/1). */
    public static List<LabelledText> uciSentiment() {
        Path dir = SharedData.resolve("sentiment-labelled-sentences");
        List<LabelledText> all = new ArrayList<>();
        for (String f : List.of("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt")) all.addAll(read(dir.resolve(f)));
        return all;
    }

    public static List<LabelledText> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<LabelledText> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            int tab = line.lastIndexOf('\t');
            if (tab < 0) throw new IllegalArgumentException(file + ": line " + (i + 1) + " has no tab before its label");
            try {
                out.add(new LabelledText(line.substring(0, tab), Integer.parseInt(line.substring(tab + 1).strip())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + ": label '" + line.substring(tab + 1) + "' is not an integer", e);
            }
        }
        return out;
    }

    /** Shuffles with {@code seed} and holds out the last {@code heldOutFraction}. */
    public static Split split(List<LabelledText> all, double heldOutFraction, long seed) {
        List<LabelledText> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(seed));
        int held = (int) Math.round(all.size() * heldOutFraction);
        return new Split(List.copyOf(shuffled.subList(0, all.size() - held)), List.copyOf(shuffled.subList(all.size() - held, all.size())));
    }
}
