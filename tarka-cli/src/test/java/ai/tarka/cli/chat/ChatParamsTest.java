package ai.tarka.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChatParamsTest {
    private final ChatParams base = new ChatParams(0.7f, 0.95f, 40, 0.05f, 512, null);

    @Test
    void setsEachKnownParameter() {
        ChatParams p = base.with("temperature", "0.2").with("top_p", "0.5").with("top-k", "7").with("MIN_P", "0.1")
                .with("max_tokens", "9").with("seed", "42");
        assertThat(p).isEqualTo(new ChatParams(0.2f, 0.5f, 7, 0.1f, 9, 42L));
        assertThat(p.with("seed", "random").seed()).isNull();
        assertThat(p.sampling(1).seed()).isEqualTo(42);
        assertThat(base.sampling(5).seed()).isEqualTo(5);
        assertThat(p.describe()).isEqualTo("temperature=0.2 top_p=0.5 top_k=7 min_p=0.1 max_tokens=9 seed=42");
    }

    @Test
    void refusesUnknownMalformedAndOutOfRangeValues() {
        assertThatThrownBy(() -> base.with("beam_width", "4")).hasMessageContaining("unknown parameter 'beam_width'")
                .hasMessageContaining("temperature, top_p");
        assertThatThrownBy(() -> base.with("top_k", "many")).hasMessageContaining("top_k must be an integer, got 'many'");
        assertThatThrownBy(() -> base.with("temperature", "hot")).hasMessageContaining("temperature must be a number");
        assertThatThrownBy(() -> base.with("top_p", "1.5")).hasMessageContaining("/params top_p=1.5").hasMessageContaining("top_p must be in (0, 1]");
        assertThatThrownBy(() -> base.with("temperature", "-1")).hasMessageContaining("temperature must be >= 0");
        assertThatThrownBy(() -> base.with("min_p", "2")).hasMessageContaining("min_p must be in [0, 1]");
        assertThatThrownBy(() -> base.with("max_tokens", "0")).hasMessageContaining("max_tokens must be >= 1, got 0");
        assertThatThrownBy(() -> base.with("seed", "x")).hasMessageContaining("seed must be an integer or 'random'");
    }
}
