package ai.tarka.cli.data;

import ai.tarka.data.PreparedData;
import ai.tarka.data.shard.TokenShard;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tarka data inspect DIR}: what a prepared folder holds, every token checked, the first tokens decoded. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a prepared data folder: shards, counts, tokenizer; check every token id against the vocabulary "
                + "and decode the start of the training split.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A folder written by 'tarka data prepare'.")
    Path dir;

    @Option(names = "--show", defaultValue = "64", paramLabel = "N", description = "Decode the first N training tokens (default: ${DEFAULT-VALUE}; 0: none).")
    int show;

    @Override
    public Integer call() {
        try (PreparedData data = PreparedData.open(dir)) {
            System.out.printf("folder      %s (created by %s)%n", dir, data.meta().path("created_by").asText("?"));
            System.out.printf("tokenizer   %s (%s), vocab %,d, EOS %s%n", data.tokenizerPath(), data.meta().path("tokenizer").path("kind").asText(),
                    data.vocabSize(), data.eosId() >= 0 ? data.eosId() : "none");
            print("train", data.train());
            print("val", data.val());
            if (show > 0 && !data.train().isEmpty() && data.train().getFirst().tokenCount() > 0 && Files.exists(data.tokenizerPath())) {
                TokenShard first = data.train().getFirst();
                TextTokenizer tok = TokenizerLoader.load(data.tokenizerPath());
                int n = (int) Math.min(show, first.tokenCount());
                System.out.printf("first %d train tokens:%n%s%n", n, tok.decode(first.read(0, n)));
            }
        }
        return 0;
    }

    private static void print(String split, List<TokenShard> shards) {
        for (TokenShard s : shards) {
            s.validateTokens();
            System.out.printf("%-11s %s: %,d tokens, %,d documents, uint%d, all ids < %,d%n", split, s.file().getFileName(),
                    s.tokenCount(), s.documentCount(), 8 * s.tokenWidth(), s.vocabSize());
        }
    }
}
