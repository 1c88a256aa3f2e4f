package ai.tarka.cli.bench;

/** One tokenizer under measurement: ids of a document, and token counts of a whole corpus encoded two ways. */
interface BenchTokenizer extends AutoCloseable {
    String name();

    /** The ids of one document, as long values so that both implementations compare directly. */
    long[] ids(String document);

    /** Encodes the documents one after another on the calling thread; returns the number of tokens. */
    long encodeSequential(String[] documents);

    /** Encodes the documents spread over the cores; returns the number of tokens. */
    long encodeBatched(String[] documents);

    /** Throws when the path the timed runs take would not give {@code ids} (what {@link #ids} gave) for the document. */
    default void checkTimedPath(String document, long[] ids) {}

    @Override
    default void close() {}
}
