package ai.tarka.tokenizers.chat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;

/**
 * A Hugging Face chat template (Jinja) rendered with Jinjava, with the tokenizer's special tokens
 * ({@code bos_token}, {@code eos_token}, ...) as variables. Rendering returns the text, each message's content span
 * and warnings. Immutable and thread-safe.
 */
public final class ChatTemplate {
    /** End-of-turn markers of common chat formats, besides the tokenizer's own {@code eos_token}. */
    private static final List<String> END_OF_TURN = List.of("<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "</s>", "<|endoftext|>");

    private static final JinjaEngine ENGINE = new JinjaEngine();

    private final String name;
    private final String source;
    private final String rewritten;
    private final Map<String, String> specialTokens;
    private final boolean addBosToken;

    private ChatTemplate(String name, String source, Map<String, String> specialTokens, boolean addBosToken) {
        this.name = Objects.requireNonNull(name, "template name");
        this.source = Objects.requireNonNull(source, "template source");
        this.rewritten = TemplateSource.rewrite(source);
        this.specialTokens = Map.copyOf(specialTokens);
        this.addBosToken = addBosToken;
    }

    /**
     * A template from source. {@code addBosToken}: whether the tokenizer adds BOS itself when encoding the text
     * (then a template that also emits {@code bos_token} gets a double-BOS warning).
     */
    public static ChatTemplate of(String name, String source, Map<String, String> specialTokens, boolean addBosToken) {
        return new ChatTemplate(name, source, specialTokens, addBosToken);
    }

    /** A built-in template ({@code chatml}, {@code llama3}, {@code alpaca}) for a tokenizer without one. */
    public static ChatTemplate builtin(String name, Map<String, String> specialTokens, boolean addBosToken) {
        return new ChatTemplate(name, BuiltinTemplates.source(name), specialTokens, addBosToken);
    }

    /** The template of a {@code tokenizer_config.json}; a list of named templates gives the one named "default". */
    public static ChatTemplate fromTokenizerConfig(Path tokenizerConfig) {
        return fromTokenizerConfig(tokenizerConfig, "default");
    }

    /** The template named {@code templateName} when the config holds a list of named templates. */
    public static ChatTemplate fromTokenizerConfig(Path tokenizerConfig, String templateName) {
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(Files.readString(tokenizerConfig));
        } catch (IOException e) {
            throw new ChatTemplateException("cannot read tokenizer config " + tokenizerConfig + ": " + e.getMessage(), e);
        }
        JsonNode t = config.path("chat_template");
        String source;
        String name = tokenizerConfig.toString();
        if (t.isTextual()) {
            source = t.asText();
        } else if (t.isArray()) {
            source = null;
            List<String> names = new ArrayList<>();
            for (JsonNode entry : t) {
                names.add(entry.path("name").asText());
                if (templateName.equals(entry.path("name").asText())) source = entry.path("template").asText();
            }
            if (source == null) {
                throw new ChatTemplateException("tokenizer config " + tokenizerConfig + " has no chat template named '" + templateName + "'; it has " + names);
            }
            name += "#" + templateName;
        } else {
            throw new ChatTemplateException("tokenizer config " + tokenizerConfig + " has no chat_template; use a built-in one: " + BuiltinTemplates.NAMES);
        }
        return new ChatTemplate(name, source, SpecialTokens.fromConfig(config), config.path("add_bos_token").asBoolean(false));
    }

    public String name() { return name; }
    public String source() { return source; }
    public Map<String, String> specialTokens() { return specialTokens; }
    public boolean addBosToken() { return addBosToken; }

    public RenderedChat render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, null, Map.of());
    }

    /**
     * Renders {@code messages}. {@code tools}: JSON-like tool descriptions (maps/lists), or null;
     * {@code extraVariables}: further template variables (e.g. {@code enable_thinking}).
     */
    public RenderedChat render(List<ChatMessage> messages, boolean addGenerationPrompt, List<?> tools, Map<String, Object> extraVariables) {
        List<String> real = new ArrayList<>();
        List<String> sentinels = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            real.add(messages.get(i).content());
            sentinels.add(SpanLocator.sentinel(i));
        }
        String text = renderText(context(messages, real, addGenerationPrompt, tools, extraVariables));
        String sentinelText;
        try {
            sentinelText = renderText(context(messages, sentinels, addGenerationPrompt, tools, extraVariables));
        } catch (ChatTemplateException e) {
            sentinelText = null; // the template refused placeholder contents: locate by content alone
        }
        List<String> warnings = new ArrayList<>();
        List<MessageSpan> spans = SpanLocator.locate(text, messages, SpanLocator.prefixes(sentinelText, messages.size()), warnings);
        checkBos(text, warnings);
        checkEndOfTurn(text, messages, spans, addGenerationPrompt, warnings);
        return new RenderedChat(text, spans, warnings);
    }

    private Map<String, Object> context(List<ChatMessage> messages, List<String> contents, boolean addGenerationPrompt,
                                        List<?> tools, Map<String, Object> extraVariables) {
        Map<String, Object> ctx = new HashMap<>(specialTokens);
        List<Map<String, Object>> msgs = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) msgs.add(messages.get(i).asTemplateValue(contents.get(i)));
        ctx.put("messages", msgs);
        ctx.put("add_generation_prompt", addGenerationPrompt);
        if (tools != null) ctx.put("tools", tools);
        ctx.putAll(extraVariables);
        return ctx;
    }

    private String renderText(Map<String, Object> ctx) {
        RenderResult result;
        try {
            result = ENGINE.render(rewritten, ctx);
        } catch (RuntimeException e) {
            throw failure(e, null);
        }
        for (TemplateError err : result.getErrors()) {
            // A stray end tag is only a warning to Jinjava; Jinja2 refuses such a template, and so do we.
            boolean broken = err.getSeverity() == TemplateError.ErrorType.FATAL || err.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR;
            if (broken) throw failure(err.getException(), err);
        }
        return result.getOutput();
    }

    private ChatTemplateException failure(Throwable cause, TemplateError err) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof TemplateFunctions.TemplateRaised raised) {
                return new ChatTemplateException("chat template '" + name + "' raised an exception: " + raised.getMessage(), raised);
            }
        }
        if (err != null && err.getMessage() != null && err.getMessage().contains(TemplateFunctions.TemplateRaised.class.getSimpleName())) {
            return new ChatTemplateException("chat template '" + name + "' raised an exception: " + err.getMessage());
        }
        String where = err == null ? "" : " (line " + err.getLineno() + ")";
        String what = err != null ? err.getMessage() : String.valueOf(cause);
        return new ChatTemplateException("chat template '" + name + "' failed to render" + where + ": " + what, cause);
    }

    private void checkBos(String text, List<String> warnings) {
        String bos = specialTokens.get("bos_token");
        if (addBosToken && bos != null && !bos.isEmpty() && text.startsWith(bos)) {
            warnings.add("double BOS: the rendered text of chat template '" + name + "' starts with bos_token " + bos
                    + " and the tokenizer also adds BOS (add_bos_token=true); encode without special tokens");
        }
    }

    private void checkEndOfTurn(String text, List<ChatMessage> messages, List<MessageSpan> spans, boolean addGenerationPrompt,
                                List<String> warnings) {
        if (addGenerationPrompt || messages.isEmpty()) return;
        int last = messages.size() - 1;
        if (!messages.get(last).role().equals("assistant")) return;
        int after = 0;
        for (MessageSpan s : spans) if (s.index() == last) after = s.end();
        String tail = text.substring(after);
        List<String> markers = new ArrayList<>(END_OF_TURN);
        String eos = specialTokens.get("eos_token");
        if (eos != null && !eos.isEmpty()) markers.add(eos);
        for (String m : markers) if (tail.contains(m)) return;
        warnings.add("the last assistant turn (message " + last + ") is not followed by an EOS/end-of-turn token in chat template '"
                + name + "'; a model trained on it will not learn to stop");
    }

    /** Special tokens as the map {@link #of} takes, e.g. {@code tokens("bos_token", "<s>", "eos_token", "</s>")}. */
    public static Map<String, String> tokens(String... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("tokens: key/value pairs expected, got " + keyValues.length + " strings");
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return m;
    }
}
