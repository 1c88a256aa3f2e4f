package ai.tarka.finetune.data;

import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.chat.ChatTemplate;
import ai.tarka.tokenizers.chat.MessageSpan;
import ai.tarka.tokenizers.chat.RenderedChat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tokenizes {@link Example}s with their loss masks. Chats go through the chat template; the trained characters are
 * each trained message's content span plus the EOS / end-of-turn marker the template writes right after it. The
 * rendered text is cut at those span boundaries and each piece encoded on its own, so the token mask equals the
 * spans exactly (no token straddles a boundary). Every sample starts with exactly one BOS when the tokenizer has one
 * (a template that writes {@code bos_token} itself is not doubled) and every trained turn must end in an EOS or
 * end-of-turn token: a template that drops it stops with {@link DatasetException}, since a model trained on it never
 * learns to stop.
 */
public final class SampleEncoder {
    /** End-of-turn markers of common chat formats besides the tokenizer's EOS. */
    private static final List<String> END_OF_TURN = List.of("<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>");

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final int bosId;
    private final int eosId;
    private final String eosText;
    private final Consumer<String> warnings;
    private boolean warnedDoubleBos, warnedMarker;

    /**
     * @param template chat template for {@link Example.Chat} (may be null when no example is a chat)
     * @param bosId    the BOS id every sample starts with, or -1 when the tokenizer has none
     * @param eosId    the EOS id appended to completions and plain text, or -1 when the tokenizer has none
     */
    public SampleEncoder(TextTokenizer tokenizer, ChatTemplate template, int bosId, int eosId, Consumer<String> warnings) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.bosId = bosId;
        this.eosId = eosId;
        this.eosText = eosId >= 0 ? tokenText(tokenizer, eosId) : null;
        this.warnings = warnings == null ? w -> {} : warnings;
    }

    /** Spellings of special tokens that decoding may drop (SentencePiece control tokens decode to nothing). */
    private static final List<String> SPECIAL_SPELLINGS = List.of("</s>", "<s>", "<|endoftext|>", "<|im_end|>", "<|eot_id|>",
            "<|begin_of_text|>", "<|end_of_text|>", "<eos>", "<bos>", "<end_of_turn>", "<|end|>");

    /**
     * The text that encodes to token {@code id} alone: its decoding when that round-trips, else a common special-token
     * spelling that does; null when none does.
     */
    public static String tokenText(TextTokenizer tokenizer, int id) {
        String decoded = tokenizer.decode(new int[] {id});
        if (!decoded.isEmpty() && java.util.Arrays.equals(tokenizer.encode(decoded), new int[] {id})) return decoded;
        for (String s : SPECIAL_SPELLINGS) {
            if (java.util.Arrays.equals(tokenizer.encode(s), new int[] {id})) return s;
        }
        return decoded.isEmpty() ? null : decoded;
    }

    public TokenizedSample encode(Example example, boolean trainOnInputs, String where) {
        return switch (example) {
            case Example.Chat c -> chat(c, trainOnInputs, where);
            case Example.Completion c -> plain(c.prompt(), c.completion(), trainOnInputs, where);
            case Example.Text t -> plain("", t.text(), true, where);
        };
    }

    private TokenizedSample plain(String prompt, String completion, boolean trainPrompt, String where) {
        if (eosId < 0) throw new DatasetException(where + ": the tokenizer has no EOS token to end the sample with");
        Builder b = new Builder();
        if (!prompt.isEmpty()) b.add(tokenizer.encode(prompt), trainPrompt);
        b.add(tokenizer.encode(completion), true);
        b.add(new int[] {eosId}, true);
        return b.finish(where);
    }

    private TokenizedSample chat(Example.Chat chat, boolean trainOnInputs, String where) {
        if (template == null) throw new DatasetException(where + ": a chat example needs a chat template");
        RenderedChat r = template.render(chat.messages(), false);
        String text = r.text();
        List<int[]> ranges = new ArrayList<>();   // trained [start, end) character ranges
        List<String> markers = new ArrayList<>(); // the marker each range ends with
        for (MessageSpan s : r.spans()) {
            if (!s.role().equals("assistant")) continue;
            String marker = markerAt(text, s.end());
            if (marker == null) {
                throw new DatasetException(where + ": chat template '" + template.name() + "' drops EOS: assistant message "
                        + s.index() + " is not followed by eos_token" + (eosText == null ? "" : " " + eosText)
                        + " or an end-of-turn token (" + END_OF_TURN + "); a model trained on it never learns to stop");
            }
            ranges.add(new int[] {trainOnInputs ? 0 : s.start(), s.end() + marker.length()});
            markers.add(marker);
        }
        if (ranges.isEmpty()) throw new DatasetException(where + ": the conversation has no assistant turn to train on");
        if (trainOnInputs) ranges = List.of(new int[] {0, text.length()});
        Builder b = new Builder();
        int at = 0;
        for (int i = 0; i < ranges.size(); i++) {
            int[] range = ranges.get(i);
            if (range[0] > at) b.add(tokenizer.encode(text.substring(at, range[0])), false);
            int[] piece = tokenizer.encode(text.substring(range[0], range[1]));
            String marker = trainOnInputs ? markers.get(markers.size() - 1) : markers.get(i);
            checkEndsWithMarker(piece, marker, where);
            b.add(piece, true);
            at = range[1];
        }
        if (at < text.length()) b.add(tokenizer.encode(text.substring(at)), trainOnInputs);
        return b.finish(where);
    }

    private String markerAt(String text, int pos) {
        if (eosText != null && !eosText.isEmpty() && text.startsWith(eosText, pos)) return eosText;
        for (String m : END_OF_TURN) if (text.startsWith(m, pos)) return m;
        return null;
    }

    private void checkEndsWithMarker(int[] piece, String marker, String where) {
        int[] ids = tokenizer.encode(marker);
        boolean single = ids.length == 1;
        if (!single || piece.length == 0 || piece[piece.length - 1] != ids[0]) {
            if (!warnedMarker) {
                warnings.accept(where + ": end-of-turn marker " + marker + " is not one token of this tokenizer ("
                        + ids.length + " tokens); the model has to learn to write it piece by piece");
                warnedMarker = true;
            }
        }
    }

    /** Concatenates pieces with their mask and fixes the BOS. */
    private final class Builder {
        private final List<int[]> pieces = new ArrayList<>();
        private final List<Boolean> flags = new ArrayList<>();
        private int size;

        void add(int[] ids, boolean trained) {
            pieces.add(ids);
            flags.add(trained);
            size += ids.length;
        }

        TokenizedSample finish(String where) {
            int[] tokens = new int[size + 1];
            boolean[] trained = new boolean[size + 1];
            int n = 0;
            if (bosId >= 0) tokens[n++] = bosId;
            for (int p = 0; p < pieces.size(); p++) {
                for (int id : pieces.get(p)) {
                    if (bosId >= 0 && n == 1 && id == bosId) {
                        if (!warnedDoubleBos) {
                            warnings.accept(where + ": the rendered text starts with BOS and the tokenizer adds one too; kept one");
                            warnedDoubleBos = true;
                        }
                        continue;
                    }
                    trained[n] = flags.get(p);
                    tokens[n++] = id;
                }
            }
            for (int i = 1; i < n; i++) {
                if (bosId >= 0 && tokens[i] == bosId) {
                    throw new DatasetException(where + ": BOS (id " + bosId + ") appears again at token " + i + "; a sample must hold exactly one BOS");
                }
            }
            trained[0] = trained[0] && bosId < 0;
            return new TokenizedSample(java.util.Arrays.copyOf(tokens, n), java.util.Arrays.copyOf(trained, n));
        }
    }
}
