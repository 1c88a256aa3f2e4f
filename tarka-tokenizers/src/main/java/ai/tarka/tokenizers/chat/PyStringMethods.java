package ai.tarka.tokenizers.chat;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python {@code str} methods that Hugging Face chat templates call on strings ({@code .strip()},
 * {@code .startswith()}, {@code .split()}, ...). Jinjava would otherwise resolve such calls against
 * {@link String}'s Java methods, which are missing ({@code startswith}) or differ ({@code split} takes a regex and
 * drops trailing empty parts, {@code strip} takes no characters). Placed ahead of Jinjava's own resolver.
 */
final class PyStringMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || method == null) return null;
        Object[] p = params == null ? new Object[0] : params;
        Object result;
        try {
            result = call(s, method.toString(), p);
        } catch (Unsupported u) {
            return null; // not a Python string method we model: let Jinjava try Java's
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static final class Unsupported extends Exception {
        Unsupported() { super(null, null, false, false); }
    }

    private static Object call(String s, String name, Object[] p) throws Unsupported {
        return switch (name) {
            case "strip" -> rstrip(lstrip(s, chars(p)), chars(p));
            case "lstrip" -> lstrip(s, chars(p));
            case "rstrip" -> rstrip(s, chars(p));
            case "startswith" -> matchesAny(s, p, true);
            case "endswith" -> matchesAny(s, p, false);
            case "split" -> split(s, p.length > 0 ? str(p[0]) : null, p.length > 1 ? toInt(p[1]) : -1);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace" -> replace(s, str(p[0]), str(p[1]), p.length > 2 ? toInt(p[2]) : -1);
            case "find" -> s.indexOf(str(p[0]));
            case "count" -> count(s, str(p[0]));
            case "join" -> join(s, p[0]);
            case "isspace" -> !s.isEmpty() && s.isBlank();
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            default -> throw new Unsupported();
        };
    }

    private static String chars(Object[] p) { return p.length == 0 || p[0] == null ? null : p[0].toString(); }

    private static String str(Object o) { return o == null ? null : o.toString(); }

    private static int toInt(Object o) { return o instanceof Number n ? n.intValue() : Integer.parseInt(o.toString()); }

    private static boolean strips(char c, String chars) { return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0; }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && strips(s.charAt(i), chars)) i++;
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int e = s.length();
        while (e > 0 && strips(s.charAt(e - 1), chars)) e--;
        return s.substring(0, e);
    }

    private static boolean matchesAny(String s, Object[] p, boolean prefix) {
        Object arg = p[0];
        Collection<?> options = arg instanceof Collection<?> c ? c : List.of(arg);
        for (Object o : options) {
            String x = o.toString();
            if (prefix ? s.startsWith(x) : s.endsWith(x)) return true;
        }
        return false;
    }

    /** Python's split: a literal separator keeping empty parts, or runs of whitespace when none is given. */
    static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0, n = s.length();
            while (true) {
                while (i < n && Character.isWhitespace(s.charAt(i))) i++;
                if (i >= n) break;
                if (maxSplit >= 0 && out.size() == maxSplit) { out.add(rstrip(s.substring(i), null)); break; }
                int j = i;
                while (j < n && !Character.isWhitespace(s.charAt(j))) j++;
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) throw new IllegalArgumentException("split: empty separator");
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) break;
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return b.toString();
    }

    private static String replace(String s, String from, String to, int count) {
        if (count < 0) return s.replace(from, to);
        StringBuilder b = new StringBuilder();
        int i = 0, done = 0;
        while (done < count) {
            int at = s.indexOf(from, i);
            if (at < 0) break;
            b.append(s, i, at).append(to);
            i = at + from.length();
            done++;
            if (from.isEmpty()) { if (i < s.length()) b.append(s.charAt(i)); i++; }
        }
        if (i < s.length()) b.append(s, i, s.length());
        return b.toString();
    }

    private static int count(String s, String x) {
        if (x.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int at = s.indexOf(x); at >= 0; at = s.indexOf(x, at + x.length())) n++;
        return n;
    }

    private static String join(String sep, Object items) {
        StringBuilder b = new StringBuilder();
        Iterable<?> it = items instanceof Iterable<?> i ? i : List.of(items);
        boolean first = true;
        for (Object o : it) {
            if (!first) b.append(sep);
            b.append(o);
            first = false;
        }
        return b.toString();
    }

    // Property access is left to Jinjava's resolver.
    @Override public Object getValue(ELContext context, Object base, Object property) { return null; }
    @Override public Class<?> getType(ELContext context, Object base, Object property) { return null; }
    @Override public void setValue(ELContext context, Object base, Object property, Object value) {}
    @Override public boolean isReadOnly(ELContext context, Object base, Object property) { return true; }
    @Override public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) { return null; }
    @Override public Class<?> getCommonPropertyType(ELContext context, Object base) { return null; }
}
