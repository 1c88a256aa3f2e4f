package ai.tarka.finetune.data;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page codecs without Hadoop: parquet-java's own {@code CodecFactory} goes through Hadoop's codec classes,
 * so Tarka hands readers (and its tests' writers) this factory instead, built on the compression libraries
 * parquet-hadoop already depends on: snappy-java, zstd-jni, aircompressor's LZ4, and the JDK's gzip. These are the
 * codecs pyarrow, pandas, polars and Hugging Face datasets write; LZO, Brotli and Hadoop-framed LZ4 are refused by name.
 */
final class ParquetCodecs implements CompressionCodecFactory {
    static final ParquetCodecs INSTANCE = new ParquetCodecs();

    private ParquetCodecs() {}

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        check(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(ParquetCodecs.compress(codec, bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        check(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                return BytesInput.from(ParquetCodecs.decompress(codec, bytes.toByteArray(), uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(ParquetCodecs.decompress(codec, in, uncompressedSize));
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}

    private static void check(CompressionCodecName codec) {
        switch (codec) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW -> { }
            default -> throw new UnsupportedOperationException("Parquet codec " + codec
                    + " is not supported (supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW)");
        }
    }

    static byte[] decompress(CompressionCodecName codec, byte[] in, int size) throws IOException {
        byte[] out = switch (codec) {
            case UNCOMPRESSED -> in;
            case SNAPPY -> {
                byte[] o = new byte[size];
                int n = Snappy.uncompress(in, 0, in.length, o, 0);
                if (n != size) throw new IOException("snappy page decoded to " + n + " bytes, its header says " + size);
                yield o;
            }
            case GZIP -> {
                try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
                    yield gz.readNBytes(size);
                }
            }
            case ZSTD -> Zstd.decompress(in, size);
            case LZ4_RAW -> {
                byte[] o = new byte[size];
                int n = new Lz4Decompressor().decompress(in, 0, in.length, o, 0, size);
                if (n != size) throw new IOException("LZ4 page decoded to " + n + " bytes, its header says " + size);
                yield o;
            }
            default -> throw new UnsupportedOperationException("Parquet codec " + codec);
        };
        if (out.length != size) throw new IOException(codec + " page decoded to " + out.length + " bytes, its header says " + size);
        return out;
    }

    static byte[] compress(CompressionCodecName codec, byte[] in) throws IOException {
        return switch (codec) {
            case UNCOMPRESSED -> in;
            case SNAPPY -> Snappy.compress(in);
            case GZIP -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                    gz.write(in);
                }
                yield bytes.toByteArray();
            }
            case ZSTD -> Zstd.compress(in, 3);
            case LZ4_RAW -> {
                Lz4Compressor c = new Lz4Compressor();
                byte[] o = new byte[c.maxCompressedLength(in.length)];
                int n = c.compress(in, 0, in.length, o, 0, o.length);
                yield java.util.Arrays.copyOf(o, n);
            }
            default -> throw new UnsupportedOperationException("Parquet codec " + codec);
        };
    }
}
