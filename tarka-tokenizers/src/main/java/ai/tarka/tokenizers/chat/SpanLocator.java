package ai.tarka.tokenizers.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds each message's content in the rendered text. A second rendering with every content replaced by a unique
 * sentinel gives the template text that precedes each content ({@code prefixes}); a content is taken where that
 * prefix, followed by the content itself, occurs at the search cursor. When the template altered the content (or
 * its logic took another path for the real content), the first of these found after the cursor (after the prefix,
 * when the prefix still matches there) is taken: the
 * content verbatim, the content after its last {@code </think>} with leading newlines removed (Qwen-style
 * templates drop reasoning of earlier turns), the content stripped of surrounding whitespace. Every span is
 * verified: {@code text.substring(start, end)} equals the located string.
 */
final class SpanLocator {
    private SpanLocator() {}

    static String sentinel(int index) { return "\uE000" + index + "\uE001"; }

    /** For each message, the template text between the previous sentinel (or the start) and its own; null when unknown. */
    static List<String> prefixes(String sentinelText, int messages) {
        List<String> out = new ArrayList<>();
        int cursor = 0;
        for (int i = 0; i < messages; i++) {
            int at = sentinelText == null ? -1 : sentinelText.indexOf(sentinel(i), cursor);
            if (at < 0) { out.add(null); continue; }
            out.add(sentinelText.substring(cursor, at));
            cursor = at + sentinel(i).length();
        }
        return out;
    }

    static List<MessageSpan> locate(String text, List<ChatMessage> messages, List<String> prefixes, List<String> warnings) {
        List<MessageSpan> spans = new ArrayList<>();
        int cursor = 0;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            String content = m.content();
            String prefix = prefixes.get(i);
            int start = -1, end = -1;
            if (prefix != null && text.startsWith(prefix + content, cursor)) {
                start = cursor + prefix.length();
                end = start + content.length();
            } else {
                // The template text before the content still matches: the altered content can only follow it
                // (otherwise a short content such as "user" would be found inside the role header).
                int from = prefix != null && text.startsWith(prefix, cursor) ? cursor + prefix.length() : cursor;
                for (String candidate : candidates(content)) {
                    int at = text.indexOf(candidate, from);
                    if (at >= 0) { start = at; end = at + candidate.length(); break; }
                }
            }
            if (start < 0) {
                if (!content.isEmpty()) warnings.add("content of message " + i + " (" + m.role() + ") not found in the rendered text; no span");
                continue;
            }
            spans.add(new MessageSpan(i, m.role(), start, end));
            cursor = end;
        }
        return spans;
    }

    private static List<String> candidates(String content) {
        List<String> out = new ArrayList<>();
        if (!content.isEmpty()) out.add(content);
        int think = content.lastIndexOf("</think>");
        if (think >= 0) {
            String answer = PyStringMethods.lstrip(content.substring(think + "</think>".length()), "\n");
            if (!answer.isEmpty()) out.add(answer);
        }
        String stripped = content.strip();
        if (!stripped.isEmpty() && !stripped.equals(content)) out.add(stripped);
        return out;
    }
}
