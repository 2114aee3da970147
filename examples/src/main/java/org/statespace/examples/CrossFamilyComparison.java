package org.statespace.examples;

import java.io.PrintStream;

import org.statespace.data.Dataset;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.inference.TrainOptions;
import org.statespace.kalman.StructuralModel;
import org.statespace.rnn.RnnModel;
import org.statespace.study.Study;
import org.statespace.study.StudyResult;

/**
 * The cross-family comparison in a few lines of Java, the code the README shows (between the markers): a
 * two-state Gaussian HMM, the local-level model and a GRU fitted to the first 70% of the Nile series and
 * scored on the last 30% on the same metric, the mean one-step-ahead predictive log score per held-out step.
 *
 * <pre>
 *   java -cp examples/target/statespace-app.jar org.statespace.examples.CrossFamilyComparison
 * </pre>
 */
public final class CrossFamilyComparison {
    private CrossFamilyComparison() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the comparison, writing one line per model to {@code out}; returns the study's result. */
    public static StudyResult run(PrintStream out) {
        // README:comparison:start
        Dataset nile = new BuiltinDatasets().builtin("nile");   // or Datasets.read(Path.of("my-series.csv"))
        StudyResult result = Study.builder()
                .dataset("nile", nile)
                .splitInTime(0.7)
                .model("hmm", HiddenMarkovModel.gaussian(2))
                .model("local-level", StructuralModel.localLevel())
                .model("gru", RnnModel.gru(8), TrainOptions.defaults().withMaxIterations(100))
                .run();
        for (StudyResult.Summary s : result.summary()) {
            out.printf("%-12s %-12s mean log score %.4f%n", s.model(), s.type(), s.mean("meanLogScore"));
        }
        // README:comparison:end
        return result;
    }
}
