package ai.tarka.tokenizers.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/**
 * {@code {% generation %}...{% endgeneration %}}: Hugging Face's marker around assistant output (used for
 * assistant-token masks). It renders its body unchanged; masks come from {@link MessageSpan}s here.
 */
final class GenerationTag implements Tag {
    private static final long serialVersionUID = 1L;

    @Override public String getName() { return "generation"; }

    @Override public String getEndTagName() { return "endgeneration"; }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        StringBuilder out = new StringBuilder();
        for (Node child : tagNode.getChildren()) out.append(child.render(interpreter).getValue());
        return out.toString();
    }
}
