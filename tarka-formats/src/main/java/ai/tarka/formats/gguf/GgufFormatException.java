package ai.tarka.formats.gguf;

/** A GGUF file that cannot be read; the message names the file, the byte offset and what was wrong. */
public class GgufFormatException extends ai.tarka.formats.tensors.TensorFormatException {
    public GgufFormatException(String source, long offset, String problem) {
        super(source + " at byte " + offset + ": " + problem);
    }
}
