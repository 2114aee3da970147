package org.statespace.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.statespace.spec.SpecSchema;
import org.statespace.spec.Suggestions;
import org.statespace.study.SpecSchemas;

@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema (draft 2020-12) of a model type or of another kind of file: model, "
                + "template, study, fit-options, dataset, or a result file the commands write: result-filter, "
                + "result-smooth, result-decode, result-forecast, result-fit-report, result-study, result-sample. "
                + "Without NAME, list them.",
                "The schemas are generated from the declarations the readers check, so a spec the schema accepts "
                        + "has the fields the reader accepts. --markdown prints the reference page "
                        + "(docs/spec-reference.md)."})
final class SchemaCommand implements Callable<Integer> {
    /** The first lines of the reference page. */
    static final String PAGE_HEADER = "# Spec reference\n\n"
            + "Every field of every JSON file Statespace reads: model specs by `\"type\"`, templates, fit options, "
            + "studies and datasets, and of every JSON result file Statespace writes (`result-*`), with its shape, "
            + "default and an example. Generated from the declarations the "
            + "readers use (the same ones `statespace schema NAME` prints as JSON Schema); do not edit: regenerate "
            + "with\n\n    ./statespace schema --markdown --out docs/spec-reference.md\n";

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "a model type (hmm, local-level, ...) or a kind: "
            + "model, template, study, fit-options, dataset, result-filter, ... (see the list without NAME)")
    String name;

    @Option(names = "--markdown", description = "print the reference page of every kind (Markdown) instead")
    boolean markdown;

    @Option(names = "--out", paramLabel = "F.json|F.md", description = "write to this file (.json for a schema, .md "
            + "with --markdown; default, or -: standard output)")
    Path out;

    @CommandLine.Mixin
    DebugOption debug;

    /** The reference page, as {@code schema --markdown} prints it. */
    static String referencePage() {
        return SpecSchemas.catalog().markdown(PAGE_HEADER);
    }

    @Override
    public Integer call() {
        SpecSchema catalog = SpecSchemas.catalog();
        var w = spec.commandLine().getOut();
        if (markdown) {
            if (name != null) {
                throw usage("--markdown prints every kind; give no NAME (got \"" + name + "\")");
            }
            requireExtension(".md");
            Cli.writeText(out, catalog.markdown(PAGE_HEADER), w);
            return 0;
        }
        if (name == null) {
            if (out != null) {
                throw usage("--out writes one schema; give a NAME (one of " + String.join(", ", catalog.kinds())
                        + ") or --markdown");
            }
            int width = catalog.kinds().stream().mapToInt(String::length).max().orElse(0);
            for (String k : catalog.kinds()) {
                String description = catalog.kind(k).description();
                int dot = description.indexOf(". ");
                w.printf("%-" + width + "s  %s%n", k, dot < 0 ? description : description.substring(0, dot + 1));
            }
            w.flush();
            return 0;
        }
        if (catalog.kind(name) == null) {
            throw usage("no schema \"" + name + "\"; " + Suggestions.didYouMean(name, catalog.kinds())
                    + "known: " + String.join(", ", catalog.kinds()));
        }
        requireExtension(".json");
        Cli.writeJson(out, catalog.document(name), w);
        return 0;
    }

    private void requireExtension(String extension) {
        if (!OutputPaths.isStandardOutput(out)
                && !String.valueOf(out.getFileName()).toLowerCase(Locale.ROOT).endsWith(extension)) {
            throw usage("--out " + out + ": expected a " + extension + " file" + (extension.equals(".json")
                    ? " (the schema is JSON; --markdown writes the .md reference page)" : ""));
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
