package ai.tarka.data.prepare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Reads the inputs in a fixed order (arguments in the order given, folder contents sorted by path) as a stream of
 * {@link RawDocument}s, and reports the input bytes it consumed (for progress).
 */
final class DocumentReader implements AutoCloseable {
    private final PrepareOptions options;
    private final Deque<Path> files;
    private final LongConsumer bytesRead;
    private final Deque<RawDocument> pending = new ArrayDeque<>();
    private BufferedReader lines;
    private Path linesFile;
    private long lineNumber;

    DocumentReader(PrepareOptions options, List<Path> files, LongConsumer bytesRead) {
        this.options = options;
        this.files = new ArrayDeque<>(files);
        this.bytesRead = bytesRead;
    }

    /** Every input file, folders expanded; a missing input is an error naming it. */
    static List<Path> listFiles(List<Path> inputs) {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isRegularFile(in)) {
                out.add(in);
            } else if (Files.isDirectory(in)) {
                try (Stream<Path> walk = Files.walk(in)) {
                    walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("data prepare: cannot list " + in + ": " + e.getMessage(), e);
                }
            } else {
                throw new DataFormatException("data prepare: input " + in + " does not exist");
            }
        }
        if (out.isEmpty()) throw new DataFormatException("data prepare: no input files in " + inputs);
        return out;
    }

    /** Whether no document is left (reads one ahead when needed). */
    boolean exhausted() {
        RawDocument d = next();
        if (d == null) return true;
        pending.addFirst(d);
        return false;
    }

    /** The next document, or null at the end. */
    RawDocument next() {
        try {
            while (true) {
                if (!pending.isEmpty()) return pending.poll();
                if (lines != null) {
                    String line = lines.readLine();
                    if (line == null) {
                        lines.close();
                        lines = null;
                        continue;
                    }
                    lineNumber++;
                    bytesRead.accept(Utf8.length(line) + 1L);
                    if (line.isBlank()) continue;
                    return new RawDocument(line, options.format().resolve(linesFile) == InputFormat.JSONL, linesFile, lineNumber);
                }
                Path file = files.poll();
                if (file == null) return null;
                InputFormat format = options.format().resolve(file);
                if (format == InputFormat.JSONL || options.splitLines()) {
                    lines = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)), 1 << 16);
                    linesFile = file;
                    lineNumber = 0;
                    continue;
                }
                String text = readText(file);
                bytesRead.accept(Files.size(file));
                if (options.separator() == null) {
                    if (!text.isEmpty()) return new RawDocument(text, false, file, 0);
                    continue;
                }
                int from = 0;
                while (from <= text.length()) {
                    int at = text.indexOf(options.separator(), from);
                    int end = at < 0 ? text.length() : at;
                    String doc = text.substring(from, end);
                    if (!doc.isBlank()) pending.add(new RawDocument(doc, false, file, 0));
                    if (at < 0) break;
                    from = at + options.separator().length();
                }
            }
        } catch (CharacterCodingException e) {
            throw new DataFormatException("data prepare: " + (lines != null ? linesFile + ":" + (lineNumber + 1) : "input")
                    + ": not valid UTF-8 (" + e.getMessage() + ")", e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new DataFormatException("data prepare: " + linesFile + ":" + (lineNumber + 1) + ": not valid UTF-8", e);
            }
            throw e;
        } catch (NoSuchFileException e) {
            throw new DataFormatException("data prepare: input " + e.getFile() + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("data prepare: cannot read " + (linesFile != null ? linesFile : "input") + ": " + e, e);
        }
    }

    private static String readText(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new DataFormatException("data prepare: " + file + ": not valid UTF-8 (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        if (lines != null) {
            try {
                lines.close();
            } catch (IOException ignored) {
                // reading is over; nothing depends on the close
            }
        }
    }
}
