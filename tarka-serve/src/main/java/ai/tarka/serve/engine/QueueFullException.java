package ai.tarka.serve.engine;

/** The waiting queue is full; the API answers 429. */
public final class QueueFullException extends RuntimeException {
    public QueueFullException(int limit) {
        super("the server is at capacity: " + limit + " requests are already waiting; retry later");
    }
}
