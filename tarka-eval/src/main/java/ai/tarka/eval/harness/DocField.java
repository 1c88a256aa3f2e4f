package ai.tarka.eval.harness;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One of a task's {@code doc_to_*} entries: a column name (the document's value), a Jinja template over the
 * document's columns, or a literal. Checked against the data file's columns when bound, so a wrong column name is
 * reported with the task field, the column and the file.
 */
final class DocField {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Jinjava JINJA = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());

    private final String taskField;
    private final String spec;
    private final boolean column;
    private final boolean template;

    private DocField(String taskField, String spec, boolean column, boolean template) {
        this.taskField = taskField;
        this.spec = spec;
        this.column = column;
        this.template = template;
    }

    /**
     * @param literalAllowed whether a bare word that is not a column is a literal value (else it is a wrong column)
     */
    static DocField bind(String taskField, String spec, DataFiles.Docs docs, String taskSource, boolean literalAllowed) {
        boolean isTemplate = spec.contains("{{") || spec.contains("{%");
        if (!isTemplate && IDENTIFIER.matcher(spec).matches()) {
            if (docs.columns().contains(spec)) return new DocField(taskField, spec, true, false);
            if (!literalAllowed) throw wrongColumn(taskField, spec, docs, taskSource);
        }
        DocField f = new DocField(taskField, spec, false, isTemplate);
        if (isTemplate && !docs.rows().isEmpty()) f.render(docs.rows().getFirst(), docs, taskSource);
        return f;
    }

    private static TaskFileException wrongColumn(String taskField, String column, DataFiles.Docs docs, String taskSource) {
        return new TaskFileException("task file " + taskSource + ": " + taskField + " refers to column '" + column
                + "' but data file " + docs.source() + " has columns " + docs.columns());
    }

    Object value(Map<String, Object> doc) {
        if (column) return doc.get(spec);
        if (template) return render(doc, null, null);
        return spec;
    }

    String text(Map<String, Object> doc) {
        Object v = value(doc);
        return v == null ? "" : v.toString();
    }

    private String render(Map<String, Object> doc, DataFiles.Docs docs, String taskSource) {
        RenderResult r = JINJA.renderForResult(spec, doc);
        if (!r.getErrors().isEmpty()) {
            String msg = r.getErrors().getFirst().getMessage();
            var unknown = Pattern.compile("UnknownTokenException: (?:Unknown token found: )?([A-Za-z_][A-Za-z0-9_.]*)").matcher(msg);
            String detail = msg;
            if (docs != null) {
                for (String token : tokensOf(msg)) {
                    if (!docs.columns().contains(token)) return throwWrong(token, docs, taskSource);
                }
                throw new TaskFileException("task file " + taskSource + ": " + taskField + " template '" + spec + "' fails on "
                        + "the first document of " + docs.source() + ": " + detail);
            }
            if (unknown.find()) detail = "unknown name " + unknown.group(1);
            throw new TaskFileException(taskField + " template '" + spec + "': " + detail);
        }
        return r.getOutput();
    }

    private String throwWrong(String token, DataFiles.Docs docs, String taskSource) {
        throw wrongColumn(taskField, token, docs, taskSource);
    }

    /** Identifiers named in a Jinjava error message (the unknown variable is among them). */
    private static List<String> tokensOf(String msg) {
        var m = Pattern.compile("[Uu]nknown token found: ([A-Za-z_][A-Za-z0-9_]*)").matcher(msg);
        if (m.find()) return List.of(m.group(1));
        return List.of();
    }

    boolean isColumn() {
        return column;
    }
}
