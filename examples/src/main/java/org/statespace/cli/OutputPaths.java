package org.statespace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import org.statespace.ResourceException;
import org.statespace.io.AtomicFiles;

/**
 * The one check every command's files pass before the command runs (called by {@link Main} for
 * whichever command was parsed): an output may not be one of the inputs, two outputs may not be one
 * file, an output must be something a file can be written to. Files are compared by what they are, not
 * by how they are spelled: {@code ./x} and {@code x}, a symbolic link and its target, two hard links of
 * one file are the same file.
 *
 * <p>Outputs are the options {@code --out}, {@code --report} and {@code --checkpoint}; every other option
 * or parameter that names a file is an input. {@code --resume CK} continues checkpointing to CK, so it
 * may name the same file as {@code --checkpoint}. {@code -} and {@code /dev/stdout} as a file output mean
 * standard output.
 */
final class OutputPaths {
    /** Options that name files the command writes. */
    static final Set<String> OUTPUTS = Set.of("--out", "--report", "--checkpoint");
    /** Commands whose --out is a folder. */
    static final Set<String> FOLDER_OUTPUTS = Set.of("compare", "plot");

    private OutputPaths() {
    }

    /** True for the names of standard output: {@code -} and {@code /dev/stdout} (null means it too). */
    static boolean isStandardOutput(Path p) {
        if (p == null) {
            return true;
        }
        String s = p.toString();
        return s.equals("-") || s.equals("/dev/stdout");
    }

    private record Named(String option, Path path) {
        @Override
        public String toString() {
            return option + " " + path;
        }
    }

    /**
     * Checks the parsed command's files; throws a {@link CommandLine.ParameterException} (exit 2) for an
     * output that is an input or another output, a {@link ResourceException} (exit 1) for an output that
     * cannot be written (a folder where a file goes, a file where a folder goes, a block device).
     */
    static void check(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return;
            }
        }
        CommandLine command = leaf.commandSpec().commandLine();
        boolean folderOut = FOLDER_OUTPUTS.contains(leaf.commandSpec().name());
        List<Named> inputs = new ArrayList<>();
        List<Named> outputs = new ArrayList<>();
        for (ArgSpec arg : leaf.commandSpec().args()) { // given or defaulted
            if (arg.type() != Path.class || arg.getValue() == null) {
                continue;
            }
            Path value = arg.getValue();
            if (arg instanceof OptionSpec o && OUTPUTS.contains(o.longestName())) {
                outputs.add(new Named(o.longestName(), value));
            } else {
                String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
                inputs.add(new Named(name, value));
            }
        }
        for (Named out : outputs) {
            boolean folder = folderOut && out.option().equals("--out");
            if (isStandardOutput(out.path())) {
                if (folder || out.option().equals("--checkpoint")) {
                    throw new CommandLine.ParameterException(command, out.option() + " " + out.path()
                            + ": standard output cannot take " + (folder ? "a folder of results" : "a checkpoint")
                            + "; name a " + (folder ? "folder" : "file"));
                }
                continue;
            }
            for (Named in : inputs) {
                boolean resumed = out.option().equals("--checkpoint") && in.option().equals("--resume");
                if (!resumed && same(out.path(), in.path())) {
                    throw new CommandLine.ParameterException(command, out + " is the input " + in
                            + ": writing it would destroy the input; choose another file");
                }
            }
            if (folder) {
                if (Files.exists(out.path()) && !Files.isDirectory(out.path())) {
                    throw new ResourceException(out.path() + ": is not a folder (" + out.option() + " names a folder)");
                }
            } else if (out.option().equals("--checkpoint") && Files.exists(out.path()) && !Files.isRegularFile(out.path())) {
                // a checkpoint is rewritten again and again and read back by --resume: only a file can be one
                throw new ResourceException(out.path() + ": is not a regular file, a checkpoint must be one (--checkpoint)");
            } else {
                String refused = AtomicFiles.refusal(out.path());
                if (refused != null) {
                    throw new ResourceException(out.path() + ": " + refused + " (" + out.option() + ")");
                }
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            for (int j = i + 1; j < outputs.size(); j++) {
                Named a = outputs.get(i);
                Named b = outputs.get(j);
                boolean bothStandard = isStandardOutput(a.path()) && isStandardOutput(b.path());
                if (bothStandard || (!isStandardOutput(a.path()) && !isStandardOutput(b.path()) && same(a.path(), b.path()))) {
                    throw new CommandLine.ParameterException(command, a + " and " + b
                            + " are the same " + (bothStandard ? "output" : "file") + ": give each output its own");
                }
            }
        }
    }

    /** Whether two paths name one file: the same real path, or (both existing) the same file by identity. */
    static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall back on the names
        }
        return canonical(a).equals(canonical(b));
    }

    /**
     * The path with its longest existing prefix resolved to the real path (links followed, {@code .} and
     * {@code ..} gone) and the rest appended.
     */
    static Path canonical(Path p) {
        Path absolute = p.toAbsolutePath().normalize();
        Deque<Path> rest = new ArrayDeque<>();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            rest.push(existing.getFileName());
            existing = existing.getParent();
        }
        Path real = absolute;
        if (existing != null) {
            try {
                real = existing.toRealPath();
                while (!rest.isEmpty()) {
                    real = real.resolve(rest.pop());
                }
            } catch (IOException e) {
                real = absolute;
            }
        }
        return real;
    }
}
