package org.statespace.markov;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.contract.ModelContract;
import org.statespace.data.Sequence;

/**
 * The Markov chain in the family contract. Brute force: the joint probability of a path is initial
 * times transition entries, read straight off the matrices; a missing state is summed over all its
 * values (enumeration).
 */
class MarkovChainContractTest extends ModelContract {

    static final MarkovChain WEATHER = MarkovChain.of(List.of("sunny", "cloudy", "rainy"), 1,
            new double[] {1, 0, 0},
            new double[][] {{0.8, 0.15, 0.05}, {0.2, 0.6, 0.2}, {0.25, 0.25, 0.5}});

    static final MarkovChain SECOND_ORDER = MarkovChain.of(List.of(), 2,
            new double[] {0.1, 0.2, 0.3, 0.4},
            new double[][] {{0.9, 0.1}, {0.3, 0.7}, {0.5, 0.5}, {0.2, 0.8}});

    @Override
    protected List<StateSpaceModel<?, ?>> tinyModels() {
        return List.of(WEATHER, SECOND_ORDER,
                MarkovChain.of(new double[] {0.5, 0.5}, new double[][] {{0, 1}, {1, 0}}));
    }

    @Override
    protected List<Sequence> sequencesFor(StateSpaceModel<?, ?> model, RandomGenerator random) {
        MarkovChain chain = (MarkovChain) model;
        List<Sequence> out = new ArrayList<>();
        for (int n = 0; n < 6; n++) {
            int length = 1 + random.nextInt(6);
            int[] path = new int[length];
            for (int t = 0; t < length; t++) {
                path[t] = random.nextInt(10) < 2 ? -1 : random.nextInt(chain.stateCount());
            }
            out.add(Sequence.ofSymbols("s" + n, path));
        }
        return out;
    }

    @Override
    protected double bruteForceLogLikelihood(StateSpaceModel<?, ?> model, Sequence sequence) {
        MarkovChain chain = (MarkovChain) model;
        int s = chain.stateCount();
        int k = chain.order();
        int length = sequence.length();
        // enumerate every completion of the missing steps (and of the k-1 states after the end, which
        // the joint initial distribution of order k covers when T < k)
        int total = Math.max(length, k);
        int[] path = new int[total];
        double sum = 0;
        long combinations = (long) Math.pow(s, total);
        for (long code = 0; code < combinations; code++) {
            long rest = code;
            boolean consistent = true;
            for (int t = 0; t < total; t++) {
                path[t] = (int) (rest % s);
                rest /= s;
                if (t < length && sequence.symbol(t) >= 0 && sequence.symbol(t) != path[t]) {
                    consistent = false;
                }
            }
            if (!consistent) {
                continue;
            }
            int first = 0;
            for (int t = 0; t < k; t++) {
                first = first * s + path[t];
            }
            double p = chain.initial()[first];
            for (int t = k; t < total; t++) {
                int context = 0;
                for (int i = t - k; i < t; i++) {
                    context = context * s + path[i];
                }
                p *= chain.transition(context, path[t]);
            }
            sum += p;
        }
        return Math.log(sum);
    }
}
