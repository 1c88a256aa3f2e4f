package ai.tarka.cli;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import picocli.CommandLine;

/** {@code tarka --version}: the Tarka version, the JVM, and the kernel configuration. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = TarkaMain.class.getPackage().getImplementationVersion();
        if (v == null) v = BuildInfo.version();
        return new String[] {
            "tarka " + v,
            "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
            "vector " + Vec.describe() + ", compute threads " + ComputePool.shared().threads()
        };
    }
}
