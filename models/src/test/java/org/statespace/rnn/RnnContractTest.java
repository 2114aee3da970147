package org.statespace.rnn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.contract.ModelContract;
import org.statespace.data.Sequence;

/**
 * RNNs in the family contract. Brute force: {@link ReferenceRnn}, a plain forward pass written from the
 * equations with nested loops over the named weight matrices, scoring each observation under the head's
 * distribution.
 */
class RnnContractTest extends ModelContract {

    static final Head DICE = new Head(Head.Type.SOFTMAX, 3, List.of("a", "b", "c"));

    @Override
    protected List<StateSpaceModel<?, ?>> tinyModels() {
        return List.of(
                // symbols through a GRU over a tanh layer
                RnnFixtures.model(3, DICE, List.of(), 1, Layer.of(Cell.TANH, 3), Layer.of(Cell.GRU, 2)),
                // a linear head with an exogenous input, relu in form (ii), and a variance that is not 1
                RnnFixtures.model(2, Head.of(Head.Type.LINEAR, 1), List.of(), 2,
                        new Layer(Cell.RELU, 3, VanillaForm.II)).withHeadVariance(new double[] {0.7}),
                // a Gaussian head on an LSTM whose top loops back down at delay 1, and a skip edge
                RnnFixtures.scaled(RnnFixtures.model(2, Head.of(Head.Type.GAUSSIAN, 2),
                        List.of(new Edge(2, 1, 1), new Edge(0, 2, 0)), 3,
                        Layer.of(Cell.SIGMOID, 2), Layer.of(Cell.LSTM, 3), new Layer(Cell.TANH, 2, VanillaForm.II)), 1.5),
                // literal form (ii) layers: read raw by the layer above and by an edge to layer 2, through σ by
                // their own recurrence, by an edge to themselves and by the head
                RnnFixtures.scaled(RnnFixtures.model(2, Head.of(Head.Type.GAUSSIAN, 1),
                        List.of(new Edge(0, 2, 1), new Edge(1, 1, 2), new Edge(2, 1, 1)), 4,
                        new Layer(Cell.TANH, 3, VanillaForm.II_LITERAL), new Layer(Cell.SIGMOID, 2, VanillaForm.II_LITERAL),
                        new Layer(Cell.TANH, 2, VanillaForm.II_LITERAL)), 1.5));
    }

    @Override
    protected List<Sequence> sequencesFor(StateSpaceModel<?, ?> model, RandomGenerator random) {
        RnnArchitecture a = ((RnnModel) model).architecture();
        List<Sequence> out = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            out.add(RnnFixtures.sequence(a, "s" + n, 1 + random.nextInt(6), random, 0.2));
        }
        return out;
    }

    @Override
    protected double bruteForceLogLikelihood(StateSpaceModel<?, ?> model, Sequence sequence) {
        return new ReferenceRnn((RnnModel) model).logLikelihood(sequence);
    }
}
