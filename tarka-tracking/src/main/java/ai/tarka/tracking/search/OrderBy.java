package ai.tarka.tracking.search;

import ai.tarka.tracking.store.ErrorCode;
import ai.tarka.tracking.store.TrackingException;
import java.util.Locale;

/** One {@code order_by} term such as {@code metrics.loss DESC} or {@code start_time}. */
public record OrderBy(Clause.Entity entity, String key, boolean ascending) {

    public static OrderBy parse(String term) {
        String t = term.trim();
        boolean asc = true;
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.endsWith(" DESC")) {
            asc = false;
            t = t.substring(0, t.length() - 5).trim();
        } else if (upper.endsWith(" ASC")) {
            t = t.substring(0, t.length() - 4).trim();
        }
        // Reuse the filter parser for the identifier by appending a dummy comparison.
        try {
            Clause c = SearchFilter.parse(t + " IS NULL").getFirst();
            return new OrderBy(c.entity(), c.key(), asc);
        } catch (TrackingException e) {
            throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid order_by clause '" + term + "': " + e.getMessage());
        }
    }
}
