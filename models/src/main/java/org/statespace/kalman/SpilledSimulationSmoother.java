package org.statespace.kalman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.random.RandomGenerator;

import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.PosteriorDraws;
import org.statespace.data.Sequence;
import org.statespace.io.SpilledSteps;

/**
 * {@link SimulationSmoother}'s draws x̃ = x̂(y) + (x⁺ - x̂(y⁺)) for one sequence read in chunks, with nothing of
 * length T in memory. The data are smoothed by {@link SpilledKalman} and its spill kept open: it holds x̂(y) and, for
 * each step, y_t and u_t. Each draw then runs {@link SpilledKalman} again over chunks made on the fly from that spill:
 * a block of the data's records is read, (x⁺_t, y⁺_t) simulated step by step by {@link StateSimulator} (the kernel
 * of {@link LinearGaussianModel#sampleWithStates}, the same generator numbers in the same order as in memory), y⁺_t
 * masked where y_t is missing, x⁺_t written to a third spill (n numbers a step); a last forward read of the three
 * spills hands x̂(y)_t + x⁺_t - x̂(y⁺)_t to the caller, the sum in the in-memory order. So the draws are the in-memory
 * ones bit for bit. Memory is a few blocks; the disk holds the data's spill, one simulated sequence's spill and its
 * states.
 */
final class SpilledSimulationSmoother {
    private SpilledSimulationSmoother() {
    }

    static double sample(LinearGaussianModel model, String id, LongSequenceInference.Chunks chunks, int count,
            RandomGenerator random, LongSequenceInference.DrawnSteps out, int blockSteps) {
        PosteriorDraws.requireCount(count);
        int n = model.n;
        int m = model.m;
        int p = model.p;
        SpilledKalman data = new SpilledKalman(model, blockSteps);
        SpilledKalman plus = new SpilledKalman(model, blockSteps);
        SpilledSteps states = null;
        SpilledKalman failing = data;
        try {
            double ll = data.smoothInPlace(id, chunks);
            int length = data.length();
            out.begin(count, length, n, false);
            if (length == 0) {
                for (int d = 0; d < count; d++) {
                    out.draw(d);
                }
                return ll;
            }
            int block = data.blockSteps();
            int record = data.record();
            int meanAt = data.smoothedMeanAt();
            int observationAt = data.observationAt();
            int inputAt = data.inputAt();
            states = new SpilledSteps(n, block); // each draw's x⁺, written as y⁺ is simulated, read with the smooths
            states.open(length);
            SpilledSteps stateSpill = states;
            double[] x = states.values;
            double[] drawn = new double[n];
            StateSimulator simulator = new StateSimulator(model);
            for (int d = 0; d < count; d++) {
                out.draw(d);
                int[] next = {0};
                LongSequenceInference.Chunks simulated = () -> {
                    int from = next[0];
                    if (from >= length) {
                        return null;
                    }
                    int c = Math.min(block, length - from);
                    double[] y = new double[c * m];
                    double[] u = new double[c * p];
                    try {
                        double[] v = data.readBlock(from);
                        for (int b = 0; b < c; b++) {
                            int r = b * record;
                            simulator.step(from + b, v, r + inputAt, random, y, b * m);
                            for (int j = 0; j < m; j++) { // a component missing in y is missing in y⁺
                                if (Double.isNaN(v[r + observationAt + j])) {
                                    y[b * m + j] = Double.NaN;
                                }
                            }
                            System.arraycopy(v, r + inputAt, u, b * p, p);
                            System.arraycopy(simulator.state, 0, x, b * n, n);
                        }
                        stateSpill.write(from, c);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    next[0] = from + c;
                    return Sequence.window(id, from, c, m, y, p, u);
                };
                failing = plus;
                plus.smoothInPlace(id, simulated);
                failing = data;
                for (int from = 0; from < length; from += block) {
                    int c = states.read(from);
                    double[] v = data.readBlock(from);
                    double[] w = plus.readBlock(from);
                    for (int b = 0; b < c; b++) {
                        int r = b * record + meanAt;
                        for (int i = 0; i < n; i++) {
                            drawn[i] = v[r + i] + x[b * n + i] - w[r + i];
                        }
                        out.step(from + b, drawn, 0);
                    }
                }
                plus.close();
            }
            return ll;
        } catch (IOException e) {
            throw failing.failed(e);
        } catch (UncheckedIOException e) {
            throw data.failed(e.getCause());
        } finally {
            data.close();
            plus.close();
            if (states != null) {
                states.close();
            }
        }
    }
}
