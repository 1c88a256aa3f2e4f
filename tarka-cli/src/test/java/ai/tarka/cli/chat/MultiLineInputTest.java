package ai.tarka.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MultiLineInputTest {
    @Test
    void singleLinesPassThrough() {
        MultiLineInput in = new MultiLineInput();
        assertThat(in.accept("hello")).isEqualTo("hello");
        assertThat(in.pending()).isFalse();
    }

    @Test
    void trailingBackslashContinues() {
        MultiLineInput in = new MultiLineInput();
        assertThat(in.accept("first \\")).isNull();
        assertThat(in.pending()).isTrue();
        assertThat(in.accept("second\\")).isNull();
        assertThat(in.accept("third")).isEqualTo("first \nsecond\nthird");
        assertThat(in.pending()).isFalse();
    }

    @Test
    void tripleQuotedBlockKeepsLinesVerbatim() {
        MultiLineInput in = new MultiLineInput();
        assertThat(in.accept("\"\"\"")).isNull();
        assertThat(in.accept("a line ending in \\")).isNull();
        assertThat(in.accept("  indented")).isNull();
        assertThat(in.accept("\"\"\"")).isEqualTo("a line ending in \\\n  indented");
        assertThat(in.accept("\"\"\"start")).isNull();
        assertThat(in.accept("end\"\"\"")).isEqualTo("start\nend");
        assertThat(in.accept("\"\"\"one line\"\"\"")).isEqualTo("one line");
    }

    @Test
    void clearDropsAHalfTypedInput() {
        MultiLineInput in = new MultiLineInput();
        in.accept("\"\"\"");
        in.accept("abandoned");
        in.clear();
        assertThat(in.pending()).isFalse();
        assertThat(in.accept("fresh")).isEqualTo("fresh");
    }
}
