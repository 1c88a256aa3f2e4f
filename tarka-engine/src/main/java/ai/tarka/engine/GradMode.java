package ai.tarka.engine;

/**
 * Whether operations record the autograd graph on this thread. Use
 * {@code try (var g = GradMode.disable()) { ... }} for evaluation and optimiser updates.
 */
public final class GradMode {
    private GradMode() {}

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Disables recording until the returned scope is closed (restores the previous state). */
    public static Scope disable() {
        return set(false);
    }

    public static Scope enable() {
        return set(true);
    }

    private static Scope set(boolean on) {
        boolean[] flag = ENABLED.get();
        boolean prev = flag[0];
        flag[0] = on;
        return () -> flag[0] = prev;
    }

    /** A scope that restores the previous grad mode on close. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
