package ai.tarka.kernels.gemm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;

/**
 * The native OpenBLAS shipped in the {@code org.bytedeco:openblas} linux-x86_64 jar, reached through
 * the FFM API only: its shared libraries are copied from the class path into a cache directory
 * ({@code -Dtarka.native.dir}, else {@code $XDG_CACHE_HOME/tarka/native} or
 * {@code ~/.cache/tarka/native}) and loaded from there.
 */
final class OpenBlasLibrary {
    private static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64/";
    private static final String MAIN = "libopenblas.so.0";
    /** What libopenblas needs besides the C library, in load order; the jar carries them alongside. */
    private static final List<String> DEPENDENCIES = List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5");

    static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    final MethodHandle sgemm;
    final MethodHandle setNumThreads;
    final MethodHandle getNumThreads;
    final String coreName;
    final Path directory;

    private static volatile OpenBlasLibrary instance;
    private static volatile RuntimeException failure;

    private OpenBlasLibrary(Path directory, SymbolLookup lib) {
        this.directory = directory;
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        ValueLayout p = ValueLayout.ADDRESS;
        // critical(true): heap arrays are passed by address without copying, and the call skips the
        // thread-state transition; acceptable because cblas_sgemm neither blocks nor calls back into Java.
        this.sgemm = linker.downcallHandle(find(lib, "cblas_sgemm"),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i), Linker.Option.critical(true));
        this.setNumThreads = linker.downcallHandle(find(lib, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(i));
        this.getNumThreads = linker.downcallHandle(find(lib, "openblas_get_num_threads"), FunctionDescriptor.of(i));
        MethodHandle core = linker.downcallHandle(find(lib, "openblas_get_corename"), FunctionDescriptor.of(p));
        String name;
        try {
            MemorySegment s = (MemorySegment) core.invokeExact();
            name = s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            name = "unknown";
        }
        this.coreName = name;
    }

    /** The loaded library, or an {@link UnsupportedOperationException} saying why it cannot be. */
    static OpenBlasLibrary get() {
        OpenBlasLibrary lib = instance;
        if (lib != null) return lib;
        synchronized (OpenBlasLibrary.class) {
            if (instance != null) return instance;
            if (failure != null) throw failure;
            try {
                instance = load();
                return instance;
            } catch (RuntimeException e) {
                failure = e instanceof UnsupportedOperationException ? e
                        : new UnsupportedOperationException("OpenBLAS backend unavailable: " + e.getMessage(), e);
                throw failure;
            }
        }
    }

    private static OpenBlasLibrary load() {
        String os = System.getProperty("os.name", ""), arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase().startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsupportedOperationException("OpenBLAS backend unavailable: the bundled library is for "
                    + "linux-x86_64 and this is " + os + "/" + arch + "; use -Dtarka.gemm=java");
        }
        ClassLoader cl = OpenBlasLibrary.class.getClassLoader();
        if (cl.getResource(RESOURCE_DIR + MAIN) == null) {
            throw new UnsupportedOperationException("OpenBLAS backend unavailable: " + RESOURCE_DIR + MAIN
                    + " is not on the class path (the org.bytedeco:openblas:linux-x86_64 jar is missing); use -Dtarka.gemm=java");
        }
        Path dir = cacheRoot().resolve("openblas-" + bundledVersion(cl));
        try {
            Files.createDirectories(dir);
            for (String dep : DEPENDENCIES) extract(cl, dir, dep);
            extract(cl, dir, MAIN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract OpenBLAS to " + dir + ": " + e.getMessage(), e);
        }
        SymbolLookup lib;
        try {
            // libopenblas finds libgfortran next to itself (RUNPATH $ORIGIN); libgfortran's own
            // needs usually come from the system.
            lib = SymbolLookup.libraryLookup(dir.resolve(MAIN), Arena.global());
        } catch (IllegalArgumentException first) {
            // The system lacks one of them: load the jar's copies first, then they resolve by soname.
            try {
                for (String dep : DEPENDENCIES) SymbolLookup.libraryLookup(dir.resolve(dep), Arena.global());
                lib = SymbolLookup.libraryLookup(dir.resolve(MAIN), Arena.global());
            } catch (IllegalArgumentException second) {
                second.addSuppressed(first);
                throw new UnsupportedOperationException("OpenBLAS backend unavailable: cannot load "
                        + dir.resolve(MAIN) + " (" + second.getMessage() + ")", second);
            }
        }
        return new OpenBlasLibrary(dir, lib);
    }

    private static MemorySegment find(SymbolLookup lib, String symbol) {
        return lib.find(symbol).orElseThrow(() ->
                new UnsupportedOperationException("OpenBLAS backend unavailable: symbol " + symbol + " not found"));
    }

    private static Path cacheRoot() {
        String explicit = System.getProperty("tarka.native.dir");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tarka").resolve("native");
    }

    private static String bundledVersion(ClassLoader cl) {
        try (InputStream in = cl.getResourceAsStream("META-INF/maven/org.bytedeco/openblas/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) return v.trim();
            }
        } catch (IOException ignored) {
            // fall through to the generic name
        }
        return "bundled";
    }

    /** Copies one resource unless an identical-size copy is already there; temp name, then atomic rename. */
    private static void extract(ClassLoader cl, Path dir, String name) throws IOException {
        var url = cl.getResource(RESOURCE_DIR + name);
        if (url == null) throw new IOException(RESOURCE_DIR + name + " is not on the class path");
        var conn = url.openConnection();
        long size = conn.getContentLengthLong();
        Path target = dir.resolve(name);
        if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) return;
        Path tmp = Files.createTempFile(dir, name + ".", ".tmp");
        try (InputStream in = conn.getInputStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
