package ai.tarka.tokenizers.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Year;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The Python/Jinja2 behaviour HF templates rely on, as added to Jinjava; each expected value is what Jinja2 prints. */
class JinjaPythonFeaturesTest {

    private static String render(String source, Map<String, String> tokens) {
        return ChatTemplate.of("probe", source, tokens, false).render(List.of(ChatMessage.user("  Hi there\n")), false).text();
    }

    static List<Arguments> cases() {
        return List.of(
                Arguments.of("{{ messages[0].content.strip() }}|", "Hi there|"),
                Arguments.of("{{ messages[0]['content'].lstrip() }}|", "Hi there\n|"),
                Arguments.of("{{ messages[0].content.rstrip('\\n') }}|", "  Hi there|"),
                Arguments.of("{{ 'xxaxx'.strip('x') }}", "a"),
                Arguments.of("{{ 'a|b||c'.split('|') | join(',') }}", "a,b,,c"),
                Arguments.of("{{ 'a.b.'.split('.') | length }}", "3"),
                Arguments.of("{{ ' a  b '.split() | join(',') }}", "a,b"),
                Arguments.of("{{ 'x=1=2'.split('=', 1)[-1] }}", "1=2"),
                Arguments.of("{{ 'abc'.startswith('a') }} {{ 'abc'.endswith('bc') }} {{ 'abc'.startswith('b') }}", "true true false"),
                Arguments.of("{{ 'Ab'.upper() }}{{ 'Ab'.lower() }} {{ 'hello world'.title() }}", "ABab Hello World"),
                Arguments.of("{{ 'abcde'[::-1] }} {{ 'abcde'[::2] }} {{ 'abcde'[1:] }}", "edcba ace bcde"),
                Arguments.of("{% for m in [1, 2, 3][::-1] %}{{ m }}{% endfor %}", "321"),
                Arguments.of("{{ '[::-1]' }}", "[::-1]"),
                Arguments.of("{% set ns = namespace(found=false, n=messages|length - 1) %}{% set ns.found = true %}{{ ns.found }} {{ ns.n }}", "true 0"),
                Arguments.of("{{ {'k': 'é\"\\n', 'n': [1, none, true]} | tojson }}", "{\"k\": \"é\\\"\\n\", \"n\": [1, null, true]}"),
                Arguments.of("{{ x is defined }} {{ none is none }} {{ 'a' is string }}", "false true true"),
                Arguments.of("{%- if true %}\n    A\n{%- endif %}\nB", "    AB"),
                Arguments.of("{% if true %}\n  X\n{% endif %}\n", "  X\n"),
                Arguments.of("{% for i in [1, 2, 3] %}{% if i == 2 %}{% continue %}{% endif %}{{ i }}{% endfor %}", "13"),
                Arguments.of("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }},{% endfor %}", "a=1,b=2,"),
                Arguments.of("{% generation %}{{ messages[-1].content.strip() }}{% endgeneration %}", "Hi there"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rendersLikeJinja2(String source, String expected) {
        assertThat(render(source, Map.of())).isEqualTo(expected);
    }

    @Test
    void strftimeNowFormatsTheCurrentDate() {
        String year = render("{{ strftime_now('%Y') }}", Map.of());
        assertThat(Integer.parseInt(year)).isBetween(Year.now().getValue() - 1, Year.now().getValue() + 1);
    }
}
