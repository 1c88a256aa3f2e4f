package ai.tarka.tracking.search;

import ai.tarka.tracking.store.ErrorCode;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.TrackingException;
import ai.tarka.tracking.store.TrackingStore;
import ai.tarka.tracking.store.ViewType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * MLflow's runs/search over the store: filter, order, then one page. Runs are filtered in memory after one
 * bulk load per experiment set (four queries), which keeps the filter semantics in one place and is fast
 * for the run counts a person browses (thousands).
 */
public final class RunSearch {
    public static final int DEFAULT_MAX_RESULTS = 1000;
    public static final int MAX_RESULTS_LIMIT = 50_000;

    public record Page(List<Run> runs, String nextPageToken) {
    }

    private RunSearch() {
    }

    public static Page search(TrackingStore store, List<String> experimentIds, String filter, ViewType view,
                              int maxResults, List<String> orderBy, String pageToken) {
        if (maxResults <= 0 || maxResults > MAX_RESULTS_LIMIT) {
            throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value " + maxResults
                    + " for parameter 'max_results' supplied. It must be at most " + MAX_RESULTS_LIMIT + " and positive.");
        }
        List<Clause> clauses = SearchFilter.parse(filter);
        Comparator<Run> order = comparator(orderBy == null ? List.of() : orderBy);
        for (String id : experimentIds) store.getExperiment(id);
        List<Run> matching = new ArrayList<>();
        for (Run r : store.runsOf(experimentIds, view)) {
            if (RunMatcher.matches(r, clauses)) matching.add(r);
        }
        matching.sort(order);
        int offset = decodeToken(pageToken);
        int end = Math.min(matching.size(), offset + maxResults);
        List<Run> page = offset >= matching.size() ? List.of() : List.copyOf(matching.subList(offset, end));
        String next = end < matching.size() ? encodeToken(end) : null;
        return new Page(page, next);
    }

    /** Order-by terms then MLflow's tie-break (start time descending, run id); missing values sort last. */
    static Comparator<Run> comparator(List<String> orderBy) {
        Comparator<Run> c = null;
        for (String term : orderBy) {
            if (term == null || term.isBlank()) continue;
            OrderBy o = OrderBy.parse(term);
            Comparator<Run> next = (a, b) -> compareValues(RunMatcher.value(a, o.entity(), o.key()),
                    RunMatcher.value(b, o.entity(), o.key()), o.ascending());
            c = c == null ? next : c.thenComparing(next);
        }
        Comparator<Run> tie = Comparator.<Run>comparingLong(r -> r.info().startTime()).reversed()
                .thenComparing(r -> r.info().runId());
        return c == null ? tie : c.thenComparing(tie);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b, boolean ascending) {
        if (a == null && b == null) return 0;
        if (a == null) return 1;
        if (b == null) return -1;
        int cmp;
        if (a instanceof Double x && b instanceof Double y) cmp = Double.compare(x, y);
        else cmp = ((Comparable) a.toString()).compareTo(b.toString());
        return ascending ? cmp : -cmp;
    }

    /** MLflow-style page token for an offset. */
    public static String encodeToken(int offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The offset in a page token (0 for none); a malformed token is INVALID_PARAMETER_VALUE. */
    public static int decodeToken(String token) {
        if (token == null || token.isBlank()) return 0;
        try {
            String json = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            String digits = json.replaceAll("[^0-9]", "");
            int offset = Integer.parseInt(digits);
            if (!json.contains("offset") || offset < 0) throw new IllegalArgumentException();
            return offset;
        } catch (RuntimeException e) {
            throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid page token '" + token + "'");
        }
    }
}
