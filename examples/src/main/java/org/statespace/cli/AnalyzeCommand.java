package org.statespace.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.StateSpaceModel;
import org.statespace.markov.MarkovChain;
import org.statespace.markov.MarkovChainAnalysis;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"The structure of a Markov chain.",
            "Communicating classes (closed or transient), periods, absorbing states, stationary "
                + "distribution(s) (one per closed class when reducible), mean first-passage times, and absorption "
                + "probabilities from transient states.",
            "A chain of order k is analysed as the first-order chain over its windows of k states."})
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.json", description = "a markov-chain spec")
    Path model;

    @Option(names = "--json", description = "write JSON instead of a report")
    boolean json;

    @Option(names = "--out", paramLabel = "R", description = "where to write (default, or -: standard output)")
    Path out;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        StateSpaceModel<?, ?> m = Cli.readModel(model);
        if (!(m instanceof MarkovChain chain)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "analyze works on markov-chain models; " + model + " is a " + m.type());
        }
        MarkovChainAnalysis analysis = chain.analyze();
        if (json) {
            Cli.writeJson(out, analysis.toJson(), spec.commandLine().getOut());
        } else {
            Cli.writeText(out, analysis.toText(), spec.commandLine().getOut());
        }
        return 0;
    }
}
