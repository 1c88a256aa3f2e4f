package ai.tarka.tokenizers.wordpiece;

import ai.tarka.common.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The 46 llama.cpp tokenizer test strings of a vocabulary and their expected ids (see llama-cpp-vocab/PROVENANCE.md). */
public final class LlamaCppVocabCases {
    static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    public record Case(int index, String text, int[] ids) {
        @Override
        public String toString() {
            return "#" + index + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text).replace("\n", "\\n");
        }
    }

    private LlamaCppVocabCases() {
    }

    public static List<Case> load(String ggufName) {
        try {
            String inp = Files.readString(SharedData.resolve("llama-cpp-vocab/" + ggufName + ".inp"), StandardCharsets.UTF_8);
            List<String> texts = new ArrayList<>(Arrays.asList(inp.split(java.util.regex.Pattern.quote(SEPARATOR), -1)));
            if (!texts.getLast().isEmpty()) throw new IllegalStateException(ggufName + ".inp does not end with the separator");
            texts.removeLast();
            List<String> lines = Files.readAllLines(SharedData.resolve("llama-cpp-vocab/" + ggufName + ".out"), StandardCharsets.UTF_8);
            if (lines.size() < texts.size())
                throw new IllegalStateException(ggufName + ".out has " + lines.size() + " lines for " + texts.size() + " strings");
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                String line = lines.get(i).strip();
                int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
                cases.add(new Case(i, texts.get(i), ids));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
