package ai.tarka.engine;

import java.util.Arrays;

/** A wrong shape or argument given to an operation; the message names the operation and the shapes. */
public final class ShapeException extends IllegalArgumentException {
    public ShapeException(String op, String problem, int[]... shapes) {
        super(format(op, problem, shapes));
    }

    private static String format(String op, String problem, int[]... shapes) {
        StringBuilder sb = new StringBuilder(op).append(": ").append(problem);
        if (shapes.length > 0) {
            sb.append(" (shapes");
            for (int[] s : shapes) sb.append(' ').append(Arrays.toString(s));
            sb.append(')');
        }
        return sb.toString();
    }
}
