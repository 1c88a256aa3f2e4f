package ai.tarka.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TarkaMainTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = TarkaMain.newCommandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpGroupsCommandsByStage() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: tarka").contains("Benchmarks and system:").contains("bench").contains("info");
        // the inference commands have their own stage
        assertThat(r.out()).contains("Inference and serving:").contains("generate").contains("quantize").contains("serve");
    }

    @Test
    void subcommandsHaveHelpAndListTheirOwnCommands() {
        Result r = run("bench", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: tarka bench").contains("gemm").contains("attention");
        Result g = run("bench", "gemm", "--help");
        assertThat(g.code()).isZero();
        assertThat(g.out()).contains("--threads").contains("--json");
    }

    @Test
    void badOptionValueOfABenchIsOneLineError() {
        Result r = run("bench", "gemm", "--sizes", "foo");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("tarka: error:").contains("foo");
    }

    @Test
    void versionNamesTarkaAndVectorWidth() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("tarka ").contains("vector ").contains("compute threads");
    }

    @Test
    void unknownOptionIsAUsageErrorWithNonZeroExit() {
        Result r = run("--no-such-option");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("Unknown option").contains("--no-such-option");
    }

    @Test
    void failingCommandPrintsOneLineAndStackTraceOnlyWhenVerbose() {
        CommandLine cl = TarkaMain.newCommandLine();
        cl.addSubcommand("explode", new Explode());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("explode");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("tarka: error: matmul: shapes [2, 3] and [4, 5] do not match");

        CommandLine cl2 = TarkaMain.newCommandLine();
        cl2.addSubcommand("explode", new Explode());
        StringWriter err2 = new StringWriter();
        cl2.setErr(new PrintWriter(err2, true));
        assertThat(cl2.execute("--verbose", "explode")).isEqualTo(1);
        assertThat(err2.toString()).contains("at ai.tarka.cli.TarkaMainTest$Explode.run");
    }

    @CommandLine.Command(name = "explode")
    static final class Explode implements Runnable {
        @Override
        public void run() {
            throw new IllegalArgumentException("matmul: shapes [2, 3] and [4, 5] do not match");
        }
    }
}
