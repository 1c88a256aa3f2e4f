package ai.tarka.nn;

import java.util.regex.Pattern;

/**
 * A glob over dotted parameter names: {@code *} matches any run of characters (dots included),
 * {@code ?} one character. A pattern also matches every name below it, so {@code blocks.0} selects
 * {@code blocks.0.attn.q_proj.weight} and {@code *.bias} selects every bias.
 */
public record NamePattern(String glob, Pattern regex) {

    public static NamePattern of(String glob) {
        if (glob == null || glob.isEmpty()) throw new IllegalArgumentException("NamePattern: empty pattern");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        sb.append("(\\..*)?");
        return new NamePattern(glob, Pattern.compile(sb.toString()));
    }

    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
