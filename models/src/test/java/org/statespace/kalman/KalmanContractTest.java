package org.statespace.kalman;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.contract.ModelContract;
import org.statespace.data.Sequence;

/**
 * The linear-Gaussian family in the contract. Brute force: the joint Gaussian of y_0..y_{T-1} built
 * from the model equations ({@link BruteForce}), its log-density by dense linear algebra; for a diffuse
 * start its κ → ∞ limit (generalised least squares over the diffuse part).
 */
class KalmanContractTest extends ModelContract {

    /** n = 1, m = 1, known start. */
    static final LinearGaussianModel SCALAR = LinearGaussianModel.of(new double[][] {{0.8}}, new double[][] {{0.5}},
            new double[][] {{1.5}}, new double[][] {{0.3}}, new double[] {0.2}, new double[][] {{2}});

    /** n = 2, m = 2, p = 1, every optional part, correlated noises. */
    static final LinearGaussianModel FULL = LinearGaussianModel.of(
            new double[][] {{0.9, 0.2}, {-0.1, 0.7}}, new double[][] {{0.4, 0.1}, {0.1, 0.3}},
            new double[][] {{1, 0.5}, {0.2, -1}}, new double[][] {{0.5, 0.2}, {0.2, 0.6}},
            new double[] {1, -1}, new double[][] {{1, 0.3}, {0.3, 2}})
            .withControlMatrix(new double[][] {{0.5}, {-0.3}})
            .withFeedthroughMatrix(new double[][] {{0.2}, {0.1}})
            .withTransitionOffset(new double[] {0.1, -0.2})
            .withObservationOffset(new double[] {1, 2});

    /** n = 3, m = 2, every state diffuse, correlated observation noise. */
    static final LinearGaussianModel DIFFUSE = LinearGaussianModel.of(
            new double[][] {{1, 1, 0}, {0, 1, 0}, {0, 0, 0.5}},
            new double[][] {{0.2, 0, 0}, {0, 0.05, 0}, {0, 0, 0.4}},
            new double[][] {{1, 0, 1}, {0, 1, 0.5}}, new double[][] {{0.7, 0.2}, {0.2, 0.4}},
            new double[3], new double[3][3])
            .withObservationOffset(new double[] {0.5, -0.5})
            .withDiffuseInitialization();

    /** n = 2, m = 1, state 0 diffuse, state 1 known. */
    static final LinearGaussianModel PARTLY_DIFFUSE = LinearGaussianModel.of(
            new double[][] {{1, 0}, {0, 0.6}}, new double[][] {{0.3, 0}, {0, 0.5}},
            new double[][] {{1, 1}}, new double[][] {{0.8}},
            new double[] {0, 0.4}, new double[][] {{0, 0}, {0, 1.5}})
            .withDiffuseInitialization(0);

    @Override
    protected List<StateSpaceModel<?, ?>> tinyModels() {
        return List.of(SCALAR, FULL, DIFFUSE, PARTLY_DIFFUSE, StructuralModel.localLevel(2, 0.5),
                StructuralModel.localLinearTrend(1, 0.2, 0.05),
                StructuralModel.localLevel(3, 1).withKnownInitialization(new double[] {1}, new double[][] {{4}}));
    }

    @Override
    protected List<Sequence> sequencesFor(StateSpaceModel<?, ?> model, RandomGenerator random) {
        LinearGaussianModel g = model instanceof StructuralModel s ? s.asLinearGaussian() : (LinearGaussianModel) model;
        int m = g.observationDimension();
        int p = g.inputDimension();
        boolean diffuse = g.diffuseStates().length > 0;
        // a diffuse start needs its first steps observed to be identified
        int identifying = diffuse ? g.stateDimension() : 0;
        List<Sequence> out = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            int length = Math.max(identifying + 1, 1 + random.nextInt(6));
            double[] values = new double[length * m];
            for (int i = 0; i < values.length; i++) {
                boolean missing = i / m >= identifying && random.nextInt(10) < 2;
                values[i] = missing ? Double.NaN : 3 * random.nextGaussian() + 1;
            }
            Sequence s = Sequence.of("s" + k, m, values);
            if (p > 0) {
                double[] u = new double[length * p];
                for (int i = 0; i < u.length; i++) {
                    u[i] = random.nextGaussian();
                }
                s = s.withInputs(p, u);
            }
            out.add(s);
        }
        return out;
    }

    @Override
    protected double bruteForceLogLikelihood(StateSpaceModel<?, ?> model, Sequence sequence) {
        LinearGaussianModel g = model instanceof StructuralModel s ? s.asLinearGaussian() : (LinearGaussianModel) model;
        return new BruteForce(g, sequence).logLikelihood();
    }
}
