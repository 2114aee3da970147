package org.statespace.examples;

import java.util.List;
import java.util.Locale;

import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.inference.FitResult;
import org.statespace.inference.TrainOptions;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainingListener;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.BeliefEmission;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;
import org.statespace.translate.ToRnn;

/**
 * A hybrid and its parts on the built-in {@code casino} dataset (a fair and a loaded die, the book's rolls and
 * sampled evenings): a GRU whose output drives the transition logits of an HMM cell (2 states, categorical
 * emission, belief head), trained end to end by BPTT, against its parts: a 2-state HMM fitted by Baum-Welch, a
 * GRU with a softmax head, and the fitted HMM converted to an rnn ({@code statespace convert}) and fine-tuned by
 * gradient descent. Prints each one's mean log-likelihood per held-out roll (higher is better; a fair die scores
 * log(1/6) = -1.792).
 *
 * <pre>java -cp examples/target/statespace-app.jar org.statespace.examples.HybridCasino</pre>
 */
public final class HybridCasino {
    private HybridCasino() {
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Dataset data = new BuiltinDatasets().builtin("casino");
        Dataset.Split split = data.splitBySequence(0.6);
        Dataset training = split.training();
        Dataset heldOut = split.heldOut();
        int m = data.alphabetSize();
        System.out.printf("casino: %d training sequences (%d rolls), %d held out (%d rolls)%n", training.size(),
                training.totalSteps(), heldOut.size(), heldOut.totalSteps());

        HiddenMarkovModel start = CasinoExample.CASINO.initialize(training, Randoms.stream(7, 0), HmmFitSettings.defaults());
        FitResult em = Trainer.fit(start, training, null, TrainOptions.defaults().withSeed(7).withRestarts(3)
                .withMaxIterations(300), HmmFitSettings.defaults(), TrainingListener.NONE);
        HiddenMarkovModel hmm = (HiddenMarkovModel) em.model();

        TrainOptions gradient = TrainOptions.defaults().withSeed(7).withMaxIterations(40).withBatchSize(2)
                .withLearningRate(0.02).withPatience(0);
        RnnModel gru = RnnModel.initialized(RnnArchitecture.stack(m, List.of(Layer.of(Cell.GRU, 4)),
                new Head(Head.Type.SOFTMAX, m, data.symbolNames())), 11);
        gru = (RnnModel) Trainer.fit(gru, training, null, gradient, RnnFitSettings.defaults(), TrainingListener.NONE).model();

        RnnModel hybrid = RnnModel.initialized(RnnArchitecture.stack(m, List.of(Layer.of(Cell.GRU, 4),
                Layer.hmm(2, BeliefEmission.of(BeliefEmission.Kind.CATEGORICAL))), Head.belief(m, true, data.symbolNames())), 11);
        hybrid = (RnnModel) Trainer.fit(hybrid, training, null, gradient, RnnFitSettings.defaults(), TrainingListener.NONE)
                .model();

        RnnModel converted = ToRnn.translate(hmm);
        RnnModel tuned = (RnnModel) Trainer.fit(converted, training, null, gradient.withMaxIterations(10)
                .withLearningRate(0.005), RnnFitSettings.defaults(), TrainingListener.NONE).model();

        System.out.println("model                                   held-out log-likelihood per roll");
        row("HMM, 2 states, Baum-Welch", hmm, heldOut);
        row("the HMM converted to an rnn (exact)", converted, heldOut);
        row("  ... fine-tuned by gradient descent", tuned, heldOut);
        row("GRU 4 + softmax head", gru, heldOut);
        row("hybrid: GRU 4 drives an HMM cell (2)", hybrid, heldOut);
    }

    private static void row(String name, StateSpaceModel<?, ?> model, Dataset data) {
        double total = 0;
        for (Sequence s : data.sequences()) {
            total += Recurrence.workspace(model).run(s, (t, h, p, l) -> { });
        }
        System.out.printf("%-40s %8.4f%n", name, total / data.observedCount());
    }
}
