package ai.tarka.tokenizers.chat;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.date.StrftimeFormatter;

/** The functions and filters Hugging Face adds to its Jinja environment, as Jinjava extensions. */
final class TemplateFunctions {
    private TemplateFunctions() {}

    /** Thrown by {@code raise_exception(msg)}; {@link ChatTemplate} turns it into a {@link ChatTemplateException}. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) { super(message); }
    }

    /** {@code raise_exception(msg)}: templates call it to refuse a conversation (e.g. roles not alternating). */
    public static Object raiseException(Object message) {
        throw new TemplateRaised(String.valueOf(message));
    }

    /** {@code strftime_now(format)}: the current local time in a Python strftime format. */
    public static String strftimeNow(String format) {
        return StrftimeFormatter.format(ZonedDateTime.now(), format);
    }

    /** {@code |tojson} with Python's {@code json.dumps} spacing. */
    static final class ToJson implements Filter {
        @Override public String getName() { return "tojson"; }
        @Override public Object filter(Object var, JinjavaInterpreter interpreter, String... args) { return PyJson.dumps(var); }
    }

    /**
     * {@code |py_slice(start, stop, step)}: Python's {@code seq[start:stop:step]}. Jinjava's parser has no slice
     * step, so {@link TemplateSource} rewrites {@code x[a:b:c]} to {@code x|py_slice(a, b, c)}.
     */
    static final class PySlice implements Filter {
        @Override public String getName() { return "py_slice"; }

        @Override public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            boolean isString = var instanceof String;
            List<Object> items = new ArrayList<>();
            if (var instanceof String s) {
                for (char c : s.toCharArray()) items.add(String.valueOf(c));
            } else if (var instanceof Collection<?> c) {
                items.addAll(c);
            } else if (var instanceof Object[] a) {
                items.addAll(Arrays.asList(a));
            } else if (var == null) {
                return List.of();
            } else {
                throw new IllegalArgumentException("slice: cannot slice a " + var.getClass().getSimpleName());
            }
            int n = items.size();
            Integer step = arg(args, 2);
            int st = step == null ? 1 : step;
            if (st == 0) throw new IllegalArgumentException("slice step cannot be zero");
            Integer a = arg(args, 0), b = arg(args, 1);
            int start, stop;
            if (st > 0) {
                start = a == null ? 0 : clamp(a < 0 ? a + n : a, 0, n);
                stop = b == null ? n : clamp(b < 0 ? b + n : b, 0, n);
            } else {
                start = a == null ? n - 1 : clamp(a < 0 ? a + n : a, -1, n - 1);
                stop = b == null ? -1 : clamp(b < 0 ? b + n : b, -1, n - 1);
            }
            List<Object> out = new ArrayList<>();
            for (int i = start; st > 0 ? i < stop : i > stop; i += st) out.add(items.get(i));
            if (!isString) return out;
            StringBuilder sb = new StringBuilder();
            for (Object o : out) sb.append(o);
            return sb.toString();
        }

        private static Integer arg(Object[] args, int i) {
            if (args == null || i >= args.length || args[i] == null) return null;
            Object o = args[i];
            if (o instanceof Number num) return num.intValue();
            String s = o.toString().trim();
            return s.isEmpty() || s.equals("none") || s.equals("None") ? null : Integer.parseInt(s);
        }

        private static int clamp(int v, int lo, int hi) { return Math.max(lo, Math.min(hi, v)); }
    }
}
