package ai.tarka.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The load generator's cheap recognition of stream chunks, compact or pretty-printed. */
class ServeBenchChunkTest {
    @Test
    void tokenChunksHaveANonEmptyChoicesArray() {
        assertThat(ServeBench.valueStartsWith("{\"id\":\"x\",\"choices\":[{\"index\":0,\"text\":\"a\"}],\"usage\":null}", "\"choices\"", "[{")).isTrue();
        assertThat(ServeBench.valueStartsWith("{\"choices\": [ {\"index\": 0}]}", "\"choices\"", "[{")).isTrue();
        assertThat(ServeBench.valueStartsWith("{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}", "\"choices\"", "[{")).isFalse();
        assertThat(ServeBench.valueStartsWith("{\"id\":\"x\"}", "\"choices\"", "[{")).isFalse();
        assertThat(ServeBench.valueStartsWith("{\"choices\":", "\"choices\"", "[{")).isFalse();
    }

    @Test
    void onlyAnObjectUsageCounts() {
        assertThat(ServeBench.valueStartsWith("{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}", "\"usage\"", "{")).isTrue();
        assertThat(ServeBench.valueStartsWith("{\"choices\":[{}],\"usage\" : { }}", "\"usage\"", "{")).isTrue();
        assertThat(ServeBench.valueStartsWith("{\"choices\":[{}],\"usage\":null}", "\"usage\"", "{")).isFalse();
    }
}
