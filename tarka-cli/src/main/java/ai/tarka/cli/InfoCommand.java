package ai.tarka.cli;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import ai.tarka.kernels.gemm.Gemms;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tarka info}: what this machine and JVM give the kernels. */
@Command(mixinStandardHelpOptions = true, name = "info", description = "Show the JVM, vector width, compute threads and GEMM backend.")
final class InfoCommand implements Callable<Integer>, StagedCommand {
    @Override
    public Stage stage() {
        return Stage.SYSTEM;
    }

    @Override
    public Integer call() {
        System.out.println("java            " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("vector width    " + Vec.describe());
        System.out.println("compute threads " + ComputePool.shared().threads());
        String fallback = Gemms.autoFallbackReason();
        System.out.println("gemm backend    " + Gemms.get().name()
                + (fallback != null ? " (OpenBLAS unavailable: " + fallback + ")" : "")
                + "  [-Dtarka.gemm=java|openblas|auto]");
        System.out.println("max heap        " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        return 0;
    }
}
