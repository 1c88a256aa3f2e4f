package ai.tarka.eval.harness;

import java.util.List;
import java.util.Map;

/**
 * One evaluation task as its YAML file describes it (lm-evaluation-harness style).
 *
 * @param dataPath      the data file; relative paths are resolved against the task file's folder, then shared data
 * @param dataFormat    json, jsonl, csv, tsv, or lines (line-aligned text files, one per column, see {@code lineFiles})
 * @param columns       column names of a headerless csv/tsv file (null: the first row is the header)
 * @param lineFiles     for {@code lines}: column name → text file
 * @param docToText     a field name or a Jinja template over the document's fields
 * @param docToTarget   a field name or template; for multiple choice it may give the gold choice's index or text
 * @param docToChoice   the choices: a literal list, a field holding a list, or a template (multiple choice only)
 * @param metrics       metric names, e.g. acc, acc_norm, bleu, chrf, rougeL, perplexity
 * @param metricOptions per metric, the other keys of its {@code metric_list} entry
 */
public record TaskSpec(String name, String sourceFile, String dataPath, String dataFormat, List<String> columns,
                       Map<String, String> lineFiles, OutputType outputType, String description, String docToText,
                       String docToTarget, Object docToChoice, int numFewshot, String fewshotDelimiter,
                       String targetDelimiter, List<String> until, int maxGenToks, List<String> metrics,
                       int windowLength, int stride, long textOffset, int textChars, long fewshotSeed,
                       Map<String, Map<String, String>> metricOptions) {

    /** Options given beside a metric in {@code metric_list} (e.g. {@code use_stemmer}, {@code tokenizer}). */
    public Map<String, String> optionsOf(String metric) {
        return metricOptions.getOrDefault(metric, Map.of());
    }

    public enum OutputType {
        LOGLIKELIHOOD("loglikelihood"),
        MULTIPLE_CHOICE("multiple_choice"),
        GENERATE_UNTIL("generate_until"),
        /** Perplexity of a whole text by sliding windows (lm-eval's {@code loglikelihood_rolling}). */
        LOGLIKELIHOOD_ROLLING("loglikelihood_rolling");

        private final String yaml;

        OutputType(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }

        static OutputType parse(String s) {
            for (OutputType t : values()) if (t.yaml.equals(s)) return t;
            return null;
        }
    }
}
