package ai.tarka.formats.gguf;

/**
 * A tensor's header entry: dims in GGUF order (innermost first), the ggml type id, and the offset of its data relative
 * to the start of the data section (see {@link GgufFile#dataStart()}).
 */
public record GgufTensorInfo(String name, long[] dims, int ggmlType, long offset) {
    public long elementCount() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }
}
