package ai.tarka.tracking.store;

/** Which lifecycle stages a search returns (MLflow's ViewType). */
public enum ViewType {
    ACTIVE_ONLY, DELETED_ONLY, ALL;

    public boolean accepts(String lifecycleStage) {
        return switch (this) {
            case ACTIVE_ONLY -> "active".equals(lifecycleStage);
            case DELETED_ONLY -> "deleted".equals(lifecycleStage);
            case ALL -> true;
        };
    }

    public static ViewType parse(String s) {
        if (s == null || s.isBlank()) return ACTIVE_ONLY;
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Invalid run_view_type '" + s + "': expected ACTIVE_ONLY, DELETED_ONLY or ALL");
        }
    }
}
