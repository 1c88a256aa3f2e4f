package ai.tarka.eval.harness;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of a task's {@code doc_to_*} entries: a column name (the document's value), a Jinja template over the
 * document's columns, or a literal. Checked against the data file's columns when bound, so a wrong column name is
 * reported with the task field, the column and the file.
 */
final class DocField {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern UNKNOWN_TOKEN = Pattern.compile("[Uu]nknown token found: ([A-Za-z_][A-Za-z0-9_]*)");
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

    /**
     * Renders the template for {@code doc}. When binding ({@code docs} non-null) a name the data file lacks is
     * reported as a wrong column of that file.
     */
    private String render(Map<String, Object> doc, DataFiles.Docs docs, String taskSource) {
        RenderResult r = JINJA.renderForResult(spec, doc);
        if (r.getErrors().isEmpty()) return r.getOutput();
        String msg = r.getErrors().getFirst().getMessage();
        Matcher unknown = UNKNOWN_TOKEN.matcher(msg);
        String name = unknown.find() ? unknown.group(1) : null;
        if (docs != null && name != null && !docs.columns().contains(name)) throw wrongColumn(taskField, name, docs, taskSource);
        String where = docs != null ? "task file " + taskSource + ": " : "";
        throw new TaskFileException(where + taskField + " template '" + spec + "' fails"
                + (docs != null ? " on the first document of " + docs.source() : "") + ": " + (name != null ? "unknown name " + name : msg));
    }
}
