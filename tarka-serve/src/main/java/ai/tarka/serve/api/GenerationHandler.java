package ai.tarka.serve.api;

import ai.tarka.serve.engine.FinishReason;
import ai.tarka.serve.engine.QueueFullException;
import ai.tarka.serve.engine.SamplingOptions;
import ai.tarka.serve.engine.SeqEvent;
import ai.tarka.serve.engine.Sequence;
import ai.tarka.serve.engine.TokenSampler;
import ai.tarka.tokenizers.chat.ChatMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}: validates the request, submits its {@code n}
 * sequences to the engine and answers with one JSON body or a Server-Sent Events stream ending in
 * {@code data: [DONE]}. A client that goes away mid-stream cancels its sequences.
 */
final class GenerationHandler {
    private static final int MAX_N = 16;
    private final ServedModel model;
    private final ObjectMapper json;

    GenerationHandler(ServedModel model, ObjectMapper json) {
        this.model = model;
        this.json = json;
    }

    /** What a validated request asks for. */
    private record Job(boolean chat, int[] prompt, String promptText, SamplingOptions options, int n, boolean stream,
                       boolean includeUsage, boolean echo, boolean logprobs, String model, int adapter) {}

    void handle(boolean chat, JsonNode body, ServerResponse res) {
        Job job = parse(chat, body);
        LinkedBlockingQueue<SeqEvent> events = new LinkedBlockingQueue<>();
        List<Sequence> seqs;
        try {
            seqs = model.engine().submit(job.prompt(), job.options(), job.n(), events::offer, job.adapter());
        } catch (QueueFullException e) {
            res.header("Retry-After", "1");
            throw new ApiException(429, "rate_limit_exceeded", e.getMessage(), null, "rate_limit_exceeded");
        } catch (IllegalStateException e) {
            res.header("Retry-After", "5");
            throw new ApiException(503, "service_unavailable", e.getMessage(), null, null);
        }
        try {
            if (job.stream()) stream(job, events, res);
            else respond(job, events, res);
        } finally {
            for (Sequence s : seqs) model.engine().cancel(s);   // no-op for finished ones; frees blocks otherwise
        }
    }

    private Job parse(boolean chat, JsonNode body) {
        Params p = new Params(body);
        String requested = p.string("model", model.name());
        int adapter = model.adapterOf(requested);
        if (adapter < 0) {
            throw new ApiException(404, "invalid_request_error", "The model `" + requested + "` does not exist.", "model",
                    "model_not_found");
        }
        int vocab = model.engine().model().vocabSize();
        String promptText;
        int[] prompt;
        if (chat) {
            promptText = renderChat(p.node("messages"));
            prompt = encode(promptText);
        } else {
            JsonNode pr = p.node("prompt");
            if (pr == null) throw ApiException.badRequest("'prompt' is required", "prompt");
            if (pr.isArray() && pr.size() == 1 && pr.get(0).isTextual()) pr = pr.get(0);
            if (pr.isTextual()) {
                promptText = pr.textValue();
                prompt = encode(promptText);
            } else if (pr.isArray() && pr.size() > 0 && pr.get(0).isIntegralNumber()) {
                prompt = p.intArray("prompt", vocab);
                promptText = model.tokenizer().decode(prompt);
            } else {
                throw ApiException.badRequest("'prompt' must be a string, an array of one string, or an array of token ids", "prompt");
            }
        }
        if (prompt.length == 0) throw ApiException.badRequest("the prompt is empty", chat ? "messages" : "prompt");
        int context = model.contextLength();
        // max_tokens 0 is allowed only to score an echoed prompt (evaluation harnesses' log-likelihood requests)
        boolean scoring = !chat && p.bool("echo", false);
        Integer maxTokens = p.integer("max_completion_tokens", null, 1, Integer.MAX_VALUE);
        if (maxTokens == null) maxTokens = p.integer("max_tokens", null, scoring ? 0 : 1, Integer.MAX_VALUE);
        if (maxTokens == null) maxTokens = Math.max(0, context - prompt.length);
        if (prompt.length >= context || prompt.length + (long) maxTokens > context) {
            throw ApiException.badRequest("This model's maximum context length is " + context + " tokens. However, you "
                    + "requested " + (prompt.length + (long) maxTokens) + " tokens (" + prompt.length + " in the "
                    + (chat ? "messages" : "prompt") + ", " + maxTokens + " in the completion). Please reduce the length "
                    + "of the " + (chat ? "messages" : "prompt") + " or completion.", chat ? "messages" : "max_tokens");
        }
        var cfg = model.engine().config();
        long blocksNeeded = (prompt.length + (long) maxTokens + cfg.blockSize() - 1) / cfg.blockSize();
        if (blocksNeeded > cfg.numBlocks()) {
            throw ApiException.badRequest("prompt (" + prompt.length + " tokens) plus max_tokens (" + maxTokens
                    + ") needs " + blocksNeeded + " KV-cache blocks but the server has " + cfg.numBlocks(), "max_tokens");
        }
        int n = p.integer("n", 1, 1, MAX_N);
        boolean stream = p.bool("stream", false);
        boolean includeUsage = false;
        JsonNode so = p.node("stream_options");
        if (so != null) {
            if (!so.isObject()) throw ApiException.badRequest("'stream_options' must be an object", "stream_options");
            if (!stream) throw ApiException.badRequest("'stream_options' is only allowed when 'stream' is true", "stream_options");
            includeUsage = new Params(so).bool("include_usage", false);
        }
        boolean logprobs;
        int top;
        boolean echo = false;
        if (chat) {
            logprobs = p.bool("logprobs", false);
            top = p.integer("top_logprobs", 0, 0, 20);
            if (top > 0 && !logprobs) throw ApiException.badRequest("'top_logprobs' needs 'logprobs' true", "top_logprobs");
        } else {
            Integer lp = p.integer("logprobs", null, 0, 20);
            logprobs = lp != null;
            top = lp == null ? 0 : lp;
            echo = p.bool("echo", false);
        }
        SamplingOptions options = p.sampling(vocab, maxTokens, logprobs, top, echo && logprobs);
        return new Job(chat, prompt, promptText, options, n, stream, includeUsage, echo, logprobs, requested, adapter);
    }

    private String renderChat(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.badRequest("'messages' must be a non-empty array", "messages");
        }
        List<ChatMessage> list = new ArrayList<>();
        for (JsonNode m : messages) {
            if (!m.isObject()) throw ApiException.badRequest("each message must be an object", "messages");
            JsonNode role = m.get("role"), content = m.get("content");
            if (role == null || !role.isTextual()) throw ApiException.badRequest("each message needs a string 'role'", "messages");
            String r = role.textValue();
            if (!List.of("system", "user", "assistant", "developer", "tool").contains(r)) {
                throw ApiException.badRequest("unknown message role '" + r + "'", "messages");
            }
            list.add(new ChatMessage(r.equals("developer") ? "system" : r, contentText(content)));
        }
        if (model.chatTemplate() != null) {
            try {
                return model.chatTemplate().render(list, true).text();
            } catch (RuntimeException e) {
                throw ApiException.badRequest("the chat template rejected the messages: " + e.getMessage(), "messages");
            }
        }
        // a base model has no template: the conversation is its plain text
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : list) {
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(m.content());
        }
        return sb.toString();
    }

    private static String contentText(JsonNode content) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.textValue();
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                JsonNode type = part.get("type"), text = part.get("text");
                if (!part.isObject() || type == null || !"text".equals(type.asText()) || text == null || !text.isTextual()) {
                    throw ApiException.badRequest("only text content parts are supported", "messages");
                }
                sb.append(text.textValue());
            }
            return sb.toString();
        }
        throw ApiException.badRequest("message 'content' must be a string or an array of text parts", "messages");
    }

    int[] encode(String text) {
        int[] ids = model.tokenizer().encode(text);
        if (model.bos() < 0 || (ids.length > 0 && ids[0] == model.bos())) return ids;
        int[] out = new int[ids.length + 1];
        out[0] = model.bos();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    // ---------------------------------------------------------------- non-streaming

    private void respond(Job job, LinkedBlockingQueue<SeqEvent> events, ServerResponse res) {
        StringBuilder[] text = new StringBuilder[job.n()];
        List<List<TokenSampler.Draw>> draws = new ArrayList<>();
        FinishReason[] finish = new FinishReason[job.n()];
        List<TokenSampler.Draw> promptLps = null;
        int completionTokens = 0;
        for (int i = 0; i < job.n(); i++) {
            text[i] = new StringBuilder();
            draws.add(new ArrayList<>());
        }
        int open = job.n();
        while (open > 0) {
            SeqEvent e = next(events);
            if (e.error() != null) throw new ApiException(500, "server_error", e.error(), null, null);
            text[e.index()].append(e.text());
            draws.get(e.index()).addAll(e.tokens());
            if (e.promptLogprobs() != null) promptLps = e.promptLogprobs();
            if (e.finish() != null) {
                finish[e.index()] = e.finish();
                completionTokens += e.outputTokens();
                open--;
            }
        }
        ObjectNode out = envelope(job, false);
        ArrayNode choices = out.putArray("choices");
        for (int i = 0; i < job.n(); i++) {
            ObjectNode c = choices.addObject();
            c.put("index", i);
            if (job.chat()) {
                ObjectNode msg = c.putObject("message");
                msg.put("role", "assistant");
                msg.put("content", text[i].toString());
                if (job.logprobs()) c.set("logprobs", chatLogprobs(draws.get(i)));
                else c.putNull("logprobs");
            } else {
                String prefix = job.echo() ? job.promptText() : "";
                c.put("text", prefix + text[i]);
                if (job.logprobs()) c.set("logprobs", completionLogprobs(job.prompt()[0], job.echo() ? promptLps : null, draws.get(i), 0));
                else c.putNull("logprobs");
            }
            c.put("finish_reason", finish[i].apiName());
        }
        out.set("usage", usage(job.prompt().length, completionTokens));
        sendJson(res, 200, out);
    }

    private SeqEvent next(LinkedBlockingQueue<SeqEvent> events) {
        try {
            SeqEvent e;
            while ((e = events.poll(1, TimeUnit.SECONDS)) == null) {
                if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "service_unavailable", "the server is shutting down", null, null);
        }
    }

    // ---------------------------------------------------------------- streaming

    private void stream(Job job, LinkedBlockingQueue<SeqEvent> events, ServerResponse res) {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        int completionTokens = 0;
        int[] textOffset = new int[job.n()];
        try (OutputStream os = res.outputStream()) {
            if (job.chat()) {
                for (int i = 0; i < job.n(); i++) {
                    ObjectNode chunk = envelope(job, true);
                    ObjectNode c = chunk.putArray("choices").addObject();
                    c.put("index", i);
                    ObjectNode delta = c.putObject("delta");
                    delta.put("role", "assistant");
                    delta.put("content", "");
                    c.putNull("logprobs");
                    c.putNull("finish_reason");
                    if (job.includeUsage()) chunk.putNull("usage");
                    write(os, chunk);
                }
            }
            int open = job.n();
            while (open > 0) {
                SeqEvent e = next(events);
                if (e.error() != null) {
                    ObjectNode err = json.createObjectNode();
                    err.set("error", OpenAiServer.errorBody(json, "server_error", e.error(), null, null));
                    write(os, err);
                    break;
                }
                ObjectNode chunk = envelope(job, true);
                ObjectNode c = chunk.putArray("choices").addObject();
                c.put("index", e.index());
                String text = e.text();
                if (job.chat()) {
                    ObjectNode delta = c.putObject("delta");
                    if (!text.isEmpty() || e.finish() == null) delta.put("content", text);
                    if (job.logprobs()) c.set("logprobs", chatLogprobs(e.tokens()));
                    else c.putNull("logprobs");
                } else {
                    String prefix = "";
                    if (job.echo() && textOffset[e.index()] == 0 && e.outputTokens() <= 1) prefix = job.promptText();
                    c.put("text", prefix + text);
                    if (job.logprobs()) {
                        c.set("logprobs", completionLogprobs(job.prompt()[0], job.echo() ? e.promptLogprobs() : null, e.tokens(), textOffset[e.index()]));
                    } else {
                        c.putNull("logprobs");
                    }
                    textOffset[e.index()] += prefix.length() + text.length();
                }
                if (e.finish() != null) {
                    c.put("finish_reason", e.finish().apiName());
                    completionTokens += e.outputTokens();
                    open--;
                } else {
                    c.putNull("finish_reason");
                }
                if (job.includeUsage()) chunk.putNull("usage");
                write(os, chunk);
            }
            if (job.includeUsage()) {
                ObjectNode last = envelope(job, true);
                last.putArray("choices");
                last.set("usage", usage(job.prompt().length, completionTokens));
                write(os, last);
            }
            os.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            os.flush();
        } catch (IOException | UncheckedIOException clientGone) {
            // the client disconnected: the finally block of handle() cancels the sequences
        }
    }

    private void write(OutputStream os, ObjectNode chunk) throws IOException {
        os.write(("data: " + json.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    // ---------------------------------------------------------------- JSON pieces

    private final String idSuffix = UUID.randomUUID().toString().replace("-", "");

    private ObjectNode envelope(Job job, boolean chunk) {
        ObjectNode o = json.createObjectNode();
        o.put("id", (job.chat() ? "chatcmpl-" : "cmpl-") + Integer.toHexString(System.identityHashCode(job)) + idSuffix.substring(0, 16));
        o.put("object", job.chat() ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion");
        o.put("created", System.currentTimeMillis() / 1000);
        o.put("model", job.model());
        return o;
    }

    private ObjectNode usage(int prompt, int completion) {
        ObjectNode u = json.createObjectNode();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }

    private String tokenText(int id) {
        return model.tokenizer().decode(new int[] {id});
    }

    private ObjectNode chatLogprobs(List<TokenSampler.Draw> draws) {
        ObjectNode lp = json.createObjectNode();
        ArrayNode content = lp.putArray("content");
        for (TokenSampler.Draw d : draws) {
            ObjectNode t = content.addObject();
            tokenEntry(t, d.token(), d.logprob());
            ArrayNode top = t.putArray("top_logprobs");
            if (d.topIds() != null) {
                for (int i = 0; i < d.topIds().length; i++) tokenEntry(top.addObject(), d.topIds()[i], d.topLogprobs()[i]);
            }
        }
        return lp;
    }

    private void tokenEntry(ObjectNode t, int id, float logprob) {
        String s = tokenText(id);
        t.put("token", s);
        t.put("logprob", logprob);
        ArrayNode bytes = t.putArray("bytes");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) bytes.add(b & 0xff);
    }

    /** Completions' legacy logprobs object; echoed prompt tokens come first (the first one has a null logprob). */
    private ObjectNode completionLogprobs(int firstPromptToken, List<TokenSampler.Draw> prompt, List<TokenSampler.Draw> draws, int offset) {
        ObjectNode lp = json.createObjectNode();
        ArrayNode tokens = lp.putArray("tokens"), lps = lp.putArray("token_logprobs"), tops = lp.putArray("top_logprobs"),
                offsets = lp.putArray("text_offset");
        int at = offset;
        List<TokenSampler.Draw> all = new ArrayList<>();
        if (prompt != null) all.addAll(prompt);    // the first prompt token has no logprob: its entry is null
        all.addAll(draws);
        for (TokenSampler.Draw d : all) {
            int id = d == null ? firstPromptToken : d.token();
            String s = tokenText(id);
            tokens.add(s);
            if (d == null) lps.addNull();
            else lps.add(d.logprob());
            if (d == null || d.topIds() == null) {
                tops.addNull();
            } else {
                ObjectNode m = tops.addObject();
                for (int i = 0; i < d.topIds().length; i++) m.put(tokenText(d.topIds()[i]), d.topLogprobs()[i]);
            }
            offsets.add(at);
            at += s.length();
        }
        return lp;
    }

    private void sendJson(ServerResponse res, int status, ObjectNode body) {
        OpenAiServer.sendJson(json, res, status, body);
    }
}
