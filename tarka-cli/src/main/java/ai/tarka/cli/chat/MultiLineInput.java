package ai.tarka.cli.chat;

/**
 * Joins typed lines into one input: a line ending in a backslash continues on the next line, and a line starting
 * with {@code """} opens a block that runs until a line ending in {@code """}.
 */
public final class MultiLineInput {
    private static final String FENCE = "\"\"\"";
    private final StringBuilder pending = new StringBuilder();
    private boolean inBlock;
    private boolean continued;

    /** Adds a line; returns the complete input, or null while more lines are needed. */
    public String accept(String line) {
        if (inBlock) {
            String t = line.stripTrailing();
            if (t.endsWith(FENCE)) {
                pending.append(t, 0, t.length() - FENCE.length());
                // a fence on its own line closes the block without adding an empty last line
                if (pending.length() > 0 && pending.charAt(pending.length() - 1) == '\n') pending.setLength(pending.length() - 1);
                return take();
            }
            pending.append(line).append('\n');
            return null;
        }
        if (!continued && line.stripLeading().startsWith(FENCE)) {
            String after = line.stripLeading().substring(FENCE.length());
            String t = after.stripTrailing();
            if (t.endsWith(FENCE)) return t.substring(0, t.length() - FENCE.length());
            inBlock = true;
            if (!after.isBlank()) pending.append(after).append('\n');
            return null;
        }
        if (line.endsWith("\\")) {
            pending.append(line, 0, line.length() - 1).append('\n');
            continued = true;
            return null;
        }
        pending.append(line);
        return take();
    }

    /** Whether a continuation or block is open (the prompt shows it). */
    public boolean pending() {
        return inBlock || continued;
    }

    /** Drops a half-typed input (Ctrl-C at the prompt). */
    public void clear() {
        pending.setLength(0);
        inBlock = false;
        continued = false;
    }

    private String take() {
        String s = pending.toString();
        clear();
        return s;
    }
}
