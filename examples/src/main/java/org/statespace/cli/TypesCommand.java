package org.statespace.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.statespace.spec.ModelSpecs;

@Command(name = "types", mixinStandardHelpOptions = true, description = "List the model types that specs may name.")
final class TypesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        for (String name : ModelSpecs.typeNames()) {
            spec.commandLine().getOut().printf("%-20s %s%n", name, ModelSpecs.type(name).description());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
