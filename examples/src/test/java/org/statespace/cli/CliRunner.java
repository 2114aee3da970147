package org.statespace.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and keeps what it printed. */
record CliRunner(int exitCode, String out, String err) {

    static CliRunner run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRunner(code, out.toString(), err.toString());
    }

    /** Commands that print a summary unless asked for JSON. */
    private static final java.util.Set<String> SUMMARISED = java.util.Set.of("filter", "decode", "smooth", "forecast",
            "sample", "datasets");

    /** Runs a command asking for its JSON on standard output ({@code --json} for the summarised commands). */
    static CliRunner runJson(String... args) {
        if (args.length > 0 && SUMMARISED.contains(args[0]) && !java.util.Arrays.asList(args).contains("--out")) {
            args = java.util.Arrays.copyOf(args, args.length + 1);
            args[args.length - 1] = "--json";
        }
        return run(args);
    }

    /** The error output as lines (a user's mistake prints exactly one). */
    String[] errorLines() {
        return err.isEmpty() ? new String[0] : err.split("\\R");
    }
}
