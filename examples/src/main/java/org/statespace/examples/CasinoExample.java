package org.statespace.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.statespace.capability.DecodedPath;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.CategoricalEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.inference.FitResult;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainOptions;
import org.statespace.inference.TrainingListener;
import org.statespace.numeric.Randoms;

/**
 * The occasionally dishonest casino (Durbin, Eddy, Krogh and Mitchison 1998): a fair die and a loaded
 * one that shows six half of the time; the casino switches to the loaded die with probability 0.05 and
 * back with probability 0.1. This program rolls the dice, forgets the model, fits a two-state HMM by
 * Baum-Welch from random starts, decodes the rolls with the fitted model and reports how well it finds
 * the loaded stretches and how close the fitted parameters come to the true ones.
 *
 * <pre>
 *   java -cp examples/target/statespace-app.jar org.statespace.examples.CasinoExample [rolls] [seed]
 * </pre>
 */
public final class CasinoExample {
    private CasinoExample() {
    }

    static final HiddenMarkovModel CASINO = HiddenMarkovModel.of(List.of("fair", "loaded"),
            new double[] {0.5, 0.5}, new double[][] {{0.95, 0.05}, {0.1, 0.9}},
            CategoricalEmission.of(List.of("1", "2", "3", "4", "5", "6"), new double[][] {
                {1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6},
                {0.1, 0.1, 0.1, 0.1, 0.1, 0.5}}));

    public static void main(String[] args) {
        int rolls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1998;
        Locale.setDefault(Locale.ROOT);

        // 1. roll: five evenings at the casino, with the true die recorded
        List<Sequence> evenings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            evenings.add(CASINO.sampleWithStates("evening" + (i + 1), rolls, null, Randoms.stream(seed, i)));
        }
        Dataset data = Dataset.ofSymbols(evenings, CASINO.symbolNames());

        // 2. fit from a random start, with three more random restarts; keep the most likely
        HiddenMarkovModel start = CASINO.initialize(data, Randoms.stream(seed, 100), HmmFitSettings.defaults());
        TrainOptions options = TrainOptions.defaults().withRestarts(3).withSeed(seed).withMaxIterations(500)
                .withTolerance(1e-9);
        FitResult fit = Trainer.fit(start, data, null, options, HmmFitSettings.defaults(), TrainingListener.NONE);
        HiddenMarkovModel fitted = (HiddenMarkovModel) fit.model();
        // states are learned without names: call "loaded" the one that rolls more sixes
        CategoricalEmission e = (CategoricalEmission) fitted.emissionModel();
        int loaded = e.probability(1, 5) > e.probability(0, 5) ? 1 : 0;
        int fair = 1 - loaded;

        System.out.printf("%d evenings of %d rolls; Baum-Welch from a random start with %d restarts%n",
                evenings.size(), rolls, options.restarts());
        System.out.printf("log-likelihood %.2f after %d iterations (restarts ended at %s)%n", fit.logLikelihood(),
                fit.iterations(), formatAll(fit.restartLogLikelihoods()));
        System.out.printf("AIC %.1f, BIC %.1f with %d free parameters%n%n", fit.aic(), fit.bic(),
                fitted.parameterCount());

        System.out.println("parameter                 true     fitted");
        System.out.printf("P(fair -> loaded)       %6.3f     %6.3f%n", CASINO.transition(0, 1), fitted.transition(fair, loaded));
        System.out.printf("P(loaded -> fair)       %6.3f     %6.3f%n", CASINO.transition(1, 0), fitted.transition(loaded, fair));
        for (int face = 0; face < 6; face++) {
            System.out.printf("P(%d | fair)            %6.3f     %6.3f%n", face + 1,
                    ((CategoricalEmission) CASINO.emissionModel()).probability(0, face), e.probability(fair, face));
        }
        for (int face = 0; face < 6; face++) {
            System.out.printf("P(%d | loaded)          %6.3f     %6.3f%n", face + 1,
                    ((CategoricalEmission) CASINO.emissionModel()).probability(1, face), e.probability(loaded, face));
        }

        // 3. decode with the fitted model, and with the true one for comparison
        Score byFit = new Score();
        Score byTruth = new Score();
        for (Sequence s : evenings) {
            DecodedPath path = fitted.decode(s);
            DecodedPath best = CASINO.decode(s);
            for (int t = 0; t < s.length(); t++) {
                boolean truth = (int) s.state(t, 0) == 1;
                byFit.add(truth, path.state(t) == loaded);
                byTruth.add(truth, best.state(t) == 1);
            }
            byFit.stretches(s, path.path(), loaded);
            byTruth.stretches(s, best.path(), 1);
        }
        System.out.println();
        System.out.println("Viterbi path against the die actually used   fitted model   true model");
        System.out.printf("accuracy (rolls labelled correctly)           %8.1f %%     %8.1f %%%n", 100 * byFit.accuracy(),
                100 * byTruth.accuracy());
        System.out.printf("loaded rolls found (recall)                   %8.1f %%     %8.1f %%%n", 100 * byFit.recall(),
                100 * byTruth.recall());
        System.out.printf("rolls called loaded that were (precision)     %8.1f %%     %8.1f %%%n", 100 * byFit.precision(),
                100 * byTruth.precision());
        System.out.printf("loaded stretches touched by a decoded one     %5d / %-5d    %5d / %-5d%n", byFit.stretchesFound,
                byFit.stretches, byTruth.stretchesFound, byTruth.stretches);
    }

    private static String formatAll(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format("%.2f", v));
        }
        return b.toString();
    }

    /** Confusion counts of "loaded" calls, and how many true loaded stretches a decoded one overlaps. */
    private static final class Score {
        long truePositive;
        long falsePositive;
        long falseNegative;
        long trueNegative;
        int stretches;
        int stretchesFound;

        void add(boolean truth, boolean called) {
            if (truth && called) {
                truePositive++;
            } else if (called) {
                falsePositive++;
            } else if (truth) {
                falseNegative++;
            } else {
                trueNegative++;
            }
        }

        void stretches(Sequence s, int[] path, int loaded) {
            int t = 0;
            while (t < s.length()) {
                if ((int) s.state(t, 0) != 1) {
                    t++;
                    continue;
                }
                int end = t;
                boolean found = false;
                while (end < s.length() && (int) s.state(end, 0) == 1) {
                    found |= path[end] == loaded;
                    end++;
                }
                stretches++;
                stretchesFound += found ? 1 : 0;
                t = end;
            }
        }

        double accuracy() {
            return (truePositive + trueNegative) / (double) (truePositive + trueNegative + falsePositive + falseNegative);
        }

        double recall() {
            return truePositive / (double) Math.max(1, truePositive + falseNegative);
        }

        double precision() {
            return truePositive / (double) Math.max(1, truePositive + falsePositive);
        }
    }
}
