package ai.tarka.engine;

/** A NaN or infinity appeared in a loss or gradient; the message names where. */
public final class NonFiniteException extends ArithmeticException {
    public NonFiniteException(String message) {
        super(message);
    }
}
