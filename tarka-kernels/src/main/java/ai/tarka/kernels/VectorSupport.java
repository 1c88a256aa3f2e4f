package ai.tarka.kernels;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Start-up checks of the JVM the kernels need. This class must not touch {@code jdk.incubator.vector}
 * itself, so that it can explain the fix when that module is missing instead of failing with a
 * {@code NoClassDefFoundError}.
 */
public final class VectorSupport {
    private VectorSupport() {}

    /** The flag the JVM needs; the launcher, the build and the tests pass it. */
    public static final String FLAG = "--add-modules jdk.incubator.vector";

    /** Null when the Vector API module is present, else the one-line fix. */
    public static String missingModuleMessage() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        return present ? null
                : "the Vector API module is not loaded; start the JVM with " + FLAG + " (the ./tarka launcher does this)";
    }

    /**
     * A warning when the JIT will probably not compile Vector API calls into SIMD instructions
     * (interpreter-only, C1-only, or a VM known to fall back to slow paths), else null.
     */
    public static String slowVectorWarning() {
        String vm = System.getProperty("java.vm.name", "");
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String a : args) {
            if (a.equals("-Xint") || a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4")) {
                return "JVM option " + a + " disables the optimising JIT: Vector API kernels will run 10x+ slower";
            }
        }
        if (vm.contains("Graal") && !vm.contains("HotSpot")) {
            return "JVM '" + vm + "' may not intrinsify the Vector API: kernels can run 10x slower; prefer a HotSpot JDK 25";
        }
        return null;
    }
}
