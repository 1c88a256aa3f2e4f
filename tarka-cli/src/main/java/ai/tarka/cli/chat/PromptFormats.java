package ai.tarka.cli.chat;

import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.models.ModelConfig;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.chat.ChatTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Picks the chat format for {@code --template}: {@code auto} takes the model's own template (a
 * {@code tokenizer_config.json} beside the model or tokenizer, else a GGUF's {@code tokenizer.chat_template}) and
 * falls back to plain continuation; {@code chatml}, {@code llama3} and {@code alpaca} are the built-ins; {@code none}
 * is plain continuation.
 */
final class PromptFormats {
    private PromptFormats() {}

    static PromptFormat choose(String name, Path model, Path tokenizerPath, TextTokenizer tok, ModelConfig config) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        Path tokenizerConfig = tokenizerConfig(model, tokenizerPath);
        return switch (n) {
            case "none" -> PromptFormat.plain();
            case "chatml", "llama3", "alpaca" -> PromptFormat.template(ChatTemplate.builtin(n, specialTokens(tokenizerConfig, tok, config), false));
            case "auto" -> {
                if (tokenizerConfig != null && hasChatTemplate(tokenizerConfig))
                    yield PromptFormat.template(ChatTemplate.fromTokenizerConfig(tokenizerConfig));
                String gguf = ggufTemplate(model);
                if (gguf != null)
                    yield PromptFormat.template(ChatTemplate.of(model + "#tokenizer.chat_template", gguf, specialTokens(null, tok, config), false));
                yield PromptFormat.plain();
            }
            default -> throw new IllegalArgumentException("chat: --template must be auto, chatml, llama3, alpaca or none, got '" + name + "'");
        };
    }

    private static Path tokenizerConfig(Path model, Path tokenizerPath) {
        for (Path p : new Path[] {model, tokenizerPath}) {
            if (p == null) continue;
            Path dir = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
            Path c = dir == null ? null : dir.resolve("tokenizer_config.json");
            if (c != null && Files.isRegularFile(c)) return c;
        }
        return null;
    }

    private static boolean hasChatTemplate(Path tokenizerConfig) {
        JsonNode root = readJson(tokenizerConfig);
        return root.has("chat_template") && !root.get("chat_template").isNull();
    }

    private static JsonNode readJson(Path tokenizerConfig) {
        try {
            return new ObjectMapper().readTree(Files.readString(tokenizerConfig));
        } catch (IOException e) {
            throw new UncheckedIOException("chat: cannot read " + tokenizerConfig + ": " + e.getMessage(), e);
        }
    }

    private static String ggufTemplate(Path model) {
        if (!Files.isRegularFile(model) || !model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")) return null;
        GgufFile f = GgufFile.open(model);
        return f.has("tokenizer.chat_template") ? f.getString("tokenizer.chat_template") : null;
    }

    /** bos_token/eos_token for a template: the tokenizer config's, else the text of the model's BOS and EOS ids. */
    private static Map<String, String> specialTokens(Path tokenizerConfig, TextTokenizer tok, ModelConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        if (config.bosTokenId() >= 0) m.put("bos_token", tok.decode(new int[] {config.bosTokenId()}));
        if (config.eosTokenId() >= 0) m.put("eos_token", tok.decode(new int[] {config.eosTokenId()}));
        if (tokenizerConfig != null) {
            JsonNode root = readJson(tokenizerConfig);
            for (String key : new String[] {"bos_token", "eos_token"}) {
                JsonNode v = root.path(key);
                String text = v.isTextual() ? v.asText() : v.path("content").isTextual() ? v.path("content").asText() : null;
                if (text != null) m.put(key, text);
            }
        }
        return m;
    }
}
