package ai.tarka.cli;

import picocli.CommandLine;

/**
 * Prints a failed command's error as one line ({@code tarka: error: ...}) with exit code 1; the
 * stack trace only with {@code --verbose}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose") || anySubHas(parsed);
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) msg = ex.getClass().getSimpleName();
        cl.getErr().println("tarka: error: " + msg.lines().findFirst().orElse(msg)
                + (verbose ? "" : "  (--verbose shows the stack trace)"));
        if (verbose) ex.printStackTrace(cl.getErr());
        cl.getErr().flush();
        return 1;
    }

    private static boolean anySubHas(CommandLine.ParseResult p) {
        for (CommandLine.ParseResult r = p; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) return true;
        }
        return false;
    }
}
