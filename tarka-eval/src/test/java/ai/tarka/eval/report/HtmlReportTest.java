package ai.tarka.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlReportTest {

    @Test
    void reportIsSelfContainedAndEscapesNames() {
        String html = HtmlReport.render("Benchmark", Reports.sample(), "tasks: sentiment");
        assertThat(html).contains("echarts").contains("const DATA = ").contains("gamma &lt;b&gt;");
        assertThat(html).doesNotContain("<script src").doesNotContain("http://cdn").doesNotContain("https://cdn");
        // the inlined library must not end its own script element early
        int libStart = html.indexOf("<script>");
        int libEnd = html.indexOf("</script>", libStart);
        assertThat(libEnd - libStart).isGreaterThan(900_000);
        assertThat(html).contains("ntrex_en_de").contains("21.50 ± 1.1000").contains("tok:13a");
    }

    @Test
    void markdownHasOneRowPerModelAndTheHeadlineMetrics() {
        String md = HtmlReport.markdown(Reports.sample());
        assertThat(md.lines()).hasSize(5);
        assertThat(md).contains("| sentiment (acc) |").contains("| alpha | 0.8100 ± 0.0120 | 21.50 ± 1.1000 | 3.2000 | 900.00 |");
    }
}
