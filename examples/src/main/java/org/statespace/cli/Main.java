package org.statespace.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.statespace.StatespaceException;
import org.statespace.Version;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.Suggestions;

/**
 * The {@code statespace} command line. A user's mistake prints one line on stderr and exits with 2
 * (usage) or 1 (input: a bad spec, bad data, a missing file); {@code --debug} adds the stack trace.
 */
@Command(name = "statespace", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = {"Probabilistic state-space models: Markov chains, HMMs, linear-Gaussian models",
            "and RNNs under one recurrence, run and compared on the same data.", ""},
        subcommands = {SampleCommand.class, FilterCommand.class, SmoothCommand.class, DecodeCommand.class,
            ForecastCommand.class, FitCommand.class, AnalyzeCommand.class, CompareCommand.class,
            DatasetsCommand.class, TypesCommand.class, SchemaCommand.class, PlotCommand.class, UnrollCommand.class,
            ConvertCommand.class, EquivalentCommand.class},
        footer = {"", "Run 'statespace COMMAND --help' for the options of a command.",
            "Every field of every spec: 'statespace schema' (JSON Schemas) and docs/spec-reference.md."})
public final class Main implements Runnable {
    /** Exit code for bad input (spec, data, files). */
    public static final int INPUT_ERROR = 1;
    /** Exit code for bad usage (options, arguments). */
    public static final int USAGE_ERROR = 2;

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try --help)");
    }

    public static void main(String[] args) {
        // not System.out: that PrintStream swallows write errors, so a full disk or a closed pipe would go
        // unnoticed; this writer records them and execute() turns them into a failure
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true);
        System.exit(execute(args, out, new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given streams and returns the exit code (for tests and embedding).
     * Before the command runs, its files are checked ({@link OutputPaths#check}); when writing to
     * {@code out} failed (see {@link PrintWriter#checkError()}), the exit code is 1 even if the command
     * finished.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = false;
        for (String a : args) {
            if (a.equals("--debug")) {
                debug = true;
            }
        }
        final boolean showTrace = debug;
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionStrategy(parseResult -> {
            try {
                OutputPaths.check(parseResult);
            } catch (StatespaceException e) {
                throw new CommandLine.ExecutionException(parseResult.commandSpec().commandLine(), e.getMessage(), e);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("error: " + oneLine(ex.getMessage()) + didYouMean(ex));
            CommandLine c = ex.getCommandLine();
            err.println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof StatespaceException) {
                err.println("error: " + oneLine(withDataFile(ex, commandLine)));
                if (showTrace) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return INPUT_ERROR;
            }
            if (ex instanceof CommandLine.ParameterException pe) {
                err.println("error: " + oneLine(pe.getMessage()));
                err.flush();
                return USAGE_ERROR;
            }
            err.println("internal error: " + oneLine(String.valueOf(ex)) + (showTrace ? "" : " (run with --debug for the stack trace)"));
            if (showTrace) {
                ex.printStackTrace(err);
            }
            err.flush();
            return INPUT_ERROR;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("error: out of memory; give the JVM more with JAVA_OPTS=-Xmx8g (for example)"
                    + streamHint(args));
            code = INPUT_ERROR;
        }
        if (out.checkError()) {
            err.println("error: cannot write to standard output (a full disk or a closed pipe?); the output is incomplete");
            code = code == 0 ? INPUT_ERROR : code;
        }
        err.flush();
        return code;
    }

    /** The commands that can read their data in chunks ({@code --stream}), so memory does not grow with it. */
    private static final java.util.Set<String> STREAMING = java.util.Set.of("filter", "smooth", "decode", "forecast", "fit");

    /** ", or add --stream ..." after running out of memory in a command that streams but was not asked to. */
    static String streamHint(String[] args) {
        if (args.length == 0 || !STREAMING.contains(args[0])) {
            return "";
        }
        for (String a : args) { // already streamed: --stream, or JSON Lines data or output
            if (a.equals("--stream") || a.endsWith(".jsonl") || a.endsWith(".ndjson")) {
                return "";
            }
        }
        return ", or add --stream to read the data in chunks (memory then does not grow with the data)";
    }

    /**
     * "; did you mean --steps?" for an unknown option or command that is a likely misspelling of one the
     * command has, or "" (picocli's own suggestions list every loosely similar name; one near name is clearer).
     */
    static String didYouMean(CommandLine.ParameterException ex) {
        List<String> unmatched = List.of();
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            unmatched = u.getUnmatched();
        } else if (ex.getCommandLine().getParseResult() != null) {
            // a misspelt required option is reported as missing; name the misspelling too
            unmatched = ex.getCommandLine().getParseResult().unmatched();
        }
        if (unmatched.isEmpty()) {
            return "";
        }
        String given = unmatched.get(0);
        String unknown = ex instanceof CommandLine.UnmatchedArgumentException ? "" : "; unknown " + given;
        CommandSpec command = ex.getCommandLine().getCommandSpec();
        List<String> known = new ArrayList<>();
        if (given.startsWith("-")) {
            String name = given.contains("=") ? given.substring(0, given.indexOf('=')) : given;
            command.options().forEach(o -> known.addAll(List.of(o.names())));
            return unknown + Suggestions.nearest(name, known).map(s -> "; did you mean " + s + "?").orElse("");
        }
        known.addAll(command.subcommands().keySet());
        return unknown + Suggestions.nearest(given, known).map(s -> "; did you mean " + s + "?").orElse("");
    }

    /**
     * The message of a failure, prefixed with the command's {@code --data} file when the failure is the
     * engine's (a {@link org.statespace.NumericalException} from filtering, smoothing or fitting names the
     * sequence and step, not the file) and does not name it already.
     */
    static String withDataFile(Exception ex, CommandLine commandLine) {
        String message = String.valueOf(ex.getMessage());
        if (!(ex instanceof org.statespace.NumericalException) || commandLine == null
                || commandLine.getParseResult() == null || !commandLine.getParseResult().hasMatchedOption("--data")) {
            return message;
        }
        Object data = commandLine.getParseResult().matchedOptionValue("--data", null);
        String file = String.valueOf(data);
        return data == null || message.contains(file) ? message : file + ": " + message;
    }

    /**
     * A message on one line: line breaks and other control characters that a user's value may carry into
     * it (a field name or symbol with a newline) are shown as escapes.
     */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Version with the registered model types. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"statespace " + Version.current() + " (commit " + Version.commit() + ")",
                "model types: " + String.join(", ", ModelSpecs.typeNames()),
                "Java " + System.getProperty("java.version")};
        }
    }
}
