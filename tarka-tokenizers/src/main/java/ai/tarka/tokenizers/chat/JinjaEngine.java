package ai.tarka.tokenizers.chat;

import java.util.Map;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import jinjava.javax.el.CompositeELResolver;

/**
 * A Jinjava set up the way Hugging Face sets up Jinja2 for chat templates: {@code trim_blocks} and
 * {@code lstrip_blocks}, Python string methods, {@code raise_exception}, {@code strftime_now}, Python-spaced
 * {@code tojson}, slices with a step and the {@code generation} block tag.
 */
final class JinjaEngine {
    private final Jinjava jinjava;

    JinjaEngine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        LegacyOverrides jinja2Like = LegacyOverrides.newBuilder()
                .withUseNaturalOperatorPrecedence(true)
                .withParseWhitespaceControlStrictly(true)
                .withHandleBackslashInQuotesOnly(true)
                .withKeepNullableLoopValues(true)
                .withUseTrimmingForNotesAndExpressions(true)
                .build();
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withElResolver(resolver)
                .withLegacyOverrides(jinja2Like)
                .build();
        jinjava = new Jinjava(config);
        jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateFunctions.class, "raiseException", Object.class));
        jinjava.registerFunction(new ELFunctionDefinition("", "strftime_now", TemplateFunctions.class, "strftimeNow", String.class));
        jinjava.registerFilter(new TemplateFunctions.ToJson());
        jinjava.registerFilter(new TemplateFunctions.PySlice());
        jinjava.registerTag(new GenerationTag());
    }

    RenderResult render(String rewrittenSource, Map<String, Object> context) {
        return jinjava.renderForResult(rewrittenSource, context);
    }
}
