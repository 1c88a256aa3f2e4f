package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.BoundaryTokens;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import java.text.Normalizer;
import java.util.List;

/**
 * A byte-level BPE tokenizer read from a Hugging Face {@code tokenizer.json}: the BPE itself, the text normalisation
 * the file asks for (none or NFC), {@code tokenizer_config.json}, and the tokens that {@code encode(text, true)} puts
 * around the ids (from the {@code post_processor}, else from {@code tokenizer_config.json}).
 *
 * <p>Normalisation is applied to the whole text before added tokens are looked for. Hugging Face normalises only the
 * text between added tokens; the two agree because added tokens such as {@code <|im_start|>} are ASCII text that NFC
 * leaves alone and that no combining mark composes with.
 */
public record HfTokenizer(ByteLevelBpe bpe, boolean nfc, List<HfAddedToken> addedTokens, HfTokenizerConfig config,
                          BoundaryTokens boundary) implements ai.tarka.tokenizers.TextTokenizer {
    public HfTokenizer {
        addedTokens = List.copyOf(addedTokens);
    }

    /** Encodes with added tokens recognised in the text (their text becomes their id). */
    public int[] encode(String text) {
        return bpe.encode(normalize(text));
    }

    /** Encodes treating added-token text as ordinary text (llama.cpp's {@code parse_special=false}). */
    public int[] encodeOrdinary(String text) {
        return bpe.encodeOrdinary(normalize(text));
    }

    /** From the post_processor, else tokenizer_config.json's add_bos_token / add_eos_token. */
    @Override
    public BoundaryTokens boundaryTokens() {
        return boundary;
    }

    public String decode(int[] ids) {
        return bpe.decode(ids);
    }

    /** The id of an added token, or -1. */
    public int addedTokenId(String content) {
        Integer id = bpe.specialTokens().ids().get(content);
        return id == null ? -1 : id;
    }

    /** Whether the id is an added token marked {@code special} (a control token such as {@code <|im_end|>}). */
    public boolean isSpecial(int id) {
        for (HfAddedToken t : addedTokens) if (t.id() == id) return t.special();
        return false;
    }

    /** The id of the configured BOS token, or -1 when there is none. */
    public int bosId() {
        return config.bosToken() == null ? -1 : addedTokenId(config.bosToken());
    }

    /** The id of the configured EOS token, or -1 when there is none. */
    public int eosId() {
        return config.eosToken() == null ? -1 : addedTokenId(config.eosToken());
    }

    private String normalize(String text) {
        return nfc ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
    }
}
