package org.statespace.kalman;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.statespace.DataException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;
import org.statespace.data.ObservationKind;
import org.statespace.numeric.Validate;
import org.statespace.spec.ModelType;
import org.statespace.spec.SpecNode;

/**
 * Reads {@code "lgssm"} specs:
 *
 * <pre>{@code
 * {"type": "lgssm",
 *  "transitionMatrix": [[1, 1], [0, 1]], "processNoise": [[0.1, 0], [0, 0.01]],
 *  "observationMatrix": [[1, 0]], "observationNoise": [[1]],
 *  "initialMean": [0, 0], "initialCovariance": [[10, 0], [0, 10]],
 *  "controlMatrix": [[0.5], [0]], "feedthroughMatrix": [[0]], "transitionOffset": [0, 0], "observationOffset": [0]}
 * }</pre>
 *
 * The last four are optional (absent means zero, and EM leaves them out); the control and feedthrough
 * matrices set the input dimension p and must agree on it. {@code "initialization": "diffuse"} starts
 * the states listed in {@code "diffuseStates"} (default: all) with an exact diffuse prior; then
 * {@code initialMean} and {@code initialCovariance} are optional (default zero) and describe the other
 * states, the covariance being zero in the rows and columns of diffuse states. Shapes are checked
 * against F (n×n) and H (m×n); covariances must be symmetric positive semidefinite.
 */
public final class LinearGaussianType implements ModelType {

    @Override
    public List<String> names() {
        return List.of(LinearGaussianModel.TYPE);
    }

    @Override
    public String description() {
        return "linear-Gaussian state-space model (Kalman filter, RTS smoother, EM), optionally exact diffuse";
    }

    @Override
    public LinearGaussianModel read(SpecNode spec) {
        spec.requireObject(KalmanFields.SPEC);
        SpecNode fNode = spec.field("transitionMatrix");
        double[][] f = fNode.asSquareMatrix();
        int n = f.length;
        SpecNode hNode = spec.field("observationMatrix");
        double[][] h = hNode.asMatrix();
        if (h[0].length != n) {
            throw hNode.error("expected " + n + " columns (one per state, as transitionMatrix is " + n + "x" + n
                    + "), got a " + h.length + "x" + h[0].length + " matrix");
        }
        int m = h.length;
        SpecNode qNode = spec.field("processNoise");
        double[][] q = qNode.asSquareMatrix(n);
        Validate.positiveSemidefinite(qNode, q);
        SpecNode rNode = spec.field("observationNoise");
        double[][] r = rNode.asSquareMatrix(m);
        Validate.positiveSemidefinite(rNode, r);

        int p = -1;
        double[][] b = null;
        if (spec.has("controlMatrix")) {
            SpecNode node = spec.field("controlMatrix");
            b = node.asMatrix();
            if (b.length != n) {
                throw node.error("expected " + n + " rows (one per state), got a " + b.length + "x" + b[0].length + " matrix");
            }
            p = b[0].length;
        }
        double[][] d = null;
        if (spec.has("feedthroughMatrix")) {
            SpecNode node = spec.field("feedthroughMatrix");
            d = node.asMatrix();
            if (d.length != m) {
                throw node.error("expected " + m + " rows (one per observed component), got a " + d.length + "x"
                        + d[0].length + " matrix");
            }
            if (p >= 0 && d[0].length != p) {
                throw node.error("expected a " + m + "x" + p + " matrix (controlMatrix takes " + p + " inputs), got "
                        + d.length + "x" + d[0].length);
            }
            p = d[0].length;
        }
        if (p < 0) {
            p = 0;
        }
        double[] bOffset = spec.optional("transitionOffset").map(node -> node.asVector(n)).orElse(null);
        double[] dOffset = spec.optional("observationOffset").map(node -> node.asVector(m)).orElse(null);

        String init = spec.optional("initialization").map(node -> node.asChoice("known", "diffuse")).orElse("known");
        int[] diffuse = new int[0];
        double[] m0;
        double[][] p0;
        if (init.equals("known")) {
            if (spec.has("diffuseStates")) {
                throw spec.errorAt("diffuseStates", "only for \"initialization\": \"diffuse\"");
            }
            m0 = spec.field("initialMean").asVector(n);
            SpecNode pNode = spec.field("initialCovariance");
            p0 = pNode.asSquareMatrix(n);
            Validate.positiveSemidefinite(pNode, p0);
        } else {
            if (spec.has("diffuseStates")) {
                SpecNode node = spec.field("diffuseStates");
                int[] given = node.asIntVector();
                Set<Integer> seen = new LinkedHashSet<>();
                for (int i = 0; i < given.length; i++) {
                    if (given[i] < 0 || given[i] >= n) {
                        throw node.elements().get(i).error("state index must be between 0 and " + (n - 1) + ", got "
                                + given[i]);
                    }
                    if (!seen.add(given[i])) {
                        throw node.elements().get(i).error("state " + given[i] + " is listed twice");
                    }
                }
                diffuse = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
            } else {
                diffuse = new int[n];
                for (int i = 0; i < n; i++) {
                    diffuse[i] = i;
                }
            }
            m0 = spec.optional("initialMean").map(node -> node.asVector(n)).orElse(new double[n]);
            p0 = new double[n][n];
            if (spec.has("initialCovariance")) {
                SpecNode pNode = spec.field("initialCovariance");
                p0 = pNode.asSquareMatrix(n);
                for (int i : diffuse) {
                    for (int j = 0; j < n; j++) {
                        if (p0[i][j] != 0 || p0[j][i] != 0) {
                            int row = p0[i][j] != 0 ? i : j;
                            int col = p0[i][j] != 0 ? j : i;
                            throw pNode.error("entry [" + row + "][" + col + "] is " + p0[row][col]
                                    + ", but state " + i + " is diffuse: its rows and columns must be 0");
                        }
                    }
                }
                Validate.positiveSemidefinite(pNode, p0);
            }
        }
        LinearGaussianModel model = new LinearGaussianModel(n, m, p, Validate.pack(f),
                b == null ? new double[n * p] : Validate.pack(b),
                bOffset == null ? new double[n] : bOffset, Validate.pack(q), Validate.pack(h),
                d == null ? new double[m * p] : Validate.pack(d), dOffset == null ? new double[m] : dOffset,
                Validate.pack(r), m0, Validate.pack(p0), b != null, bOffset != null, d != null, dOffset != null, diffuse);
        if (!spec.has("prior") && !spec.has("fit")) {
            return model;
        }
        // the optional "prior" (inverse-Wishart on Q and R) and "fit" (fixed parameters or entries of F and H)
        List<String> present = new java.util.ArrayList<>();
        for (String name : KalmanFitSettings.PARAMETER_NAMES) {
            boolean absent = (name.equals("controlMatrix") && b == null) || (name.equals("transitionOffset") && bOffset == null)
                    || (name.equals("feedthroughMatrix") && d == null) || (name.equals("observationOffset") && dOffset == null)
                    || (name.startsWith("initial") && diffuse.length > 0);
            if (!absent) {
                present.add(name);
            }
        }
        return model.withFitControl(LgssmFitControl.read(spec, n, m, present));
    }

    /**
     * {@code {"type": "lgssm", "stateDimension": n, "feedthrough": false}} sized by the data: F = I and
     * H = [I 0] (state j feeds observation component j mod n), every entry perturbed by a seeded normal
     * draw (0.1/sqrt(n) in F, 0.1 in H) so that EM can couple all states, an observation offset at the data's means
     * and a transition offset at 0 (so EM can move the level), Q = 0.1 s² I and R = 0.5 s² I with s² the
     * data's average variance, x_0 ~ N(0, 10 s² I); with inputs a zero control matrix B (and, with
     * {@code "feedthrough": true}, a zero D) that EM fits. Everything is then fitted by EM.
     */
    @Override
    public LinearGaussianModel template(SpecNode template, Dataset data, RandomGenerator random) {
        return template(template, data, DataMoments.of(data), random);
    }

    /**
     * The same start for data not in memory: the model sized by {@code shape}, its offsets and noise scales from
     * the rows' {@link ObservedRows#moments} (exact sums: the numbers of the in-memory template).
     */
    @Override
    public Optional<StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            Function<StateSpaceModel<?, ?>, ObservedRows> rows, RandomGenerator random) {
        LinearGaussianModel skeleton = template(template, shape, DataMoments.unit(shape.dimension()),
                new java.util.SplittableRandom(0));
        return Optional.of(template(template, shape, DataMoments.of(rows.apply(skeleton).moments()), random));
    }

    // the template sized by data's shape (kind, dimension, inputs) with the given moments
    private static LinearGaussianModel template(SpecNode template, Dataset data, DataMoments moments,
            RandomGenerator random) {
        template.requireObject(KalmanFields.TEMPLATE);
        if (data.kind() == ObservationKind.SYMBOLS) {
            throw new DataException("a linear-Gaussian model needs real values; the data are symbols");
        }
        int m = data.dimension();
        int n = template.optional("stateDimension").map(x -> x.asInt(1, 1000)).orElse(m);
        boolean feedthrough = template.optional("feedthrough").map(SpecNode::asBoolean).orElse(false);
        int p = data.inputDimension();
        double s2 = moments.averageVariance();
        double[][] f = new double[n][n];
        double[][] q = new double[n][n];
        double[][] p0 = new double[n][n];
        // identity dynamics and H = [I 0], each entry perturbed by a seeded draw: with exact zeros the
        // states beyond the first m are unobserved and uncoupled, and EM (a fixed point there) never
        // brings them in
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                f[i][j] = (i == j ? 1 : 0) + 0.1 * random.nextGaussian() / Math.sqrt(n);
            }
            q[i][i] = 0.1 * s2;
            p0[i][i] = 10 * s2;
        }
        double[][] h = new double[m][n];
        double[][] r = new double[m][m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                h[j][i] = (i == j % n ? 1 : 0) + 0.1 * random.nextGaussian();
            }
            r[j][j] = 0.5 * s2;
        }
        LinearGaussianModel model = LinearGaussianModel.of(f, q, h, r, new double[n], p0)
                .withObservationOffset(moments.mean).withTransitionOffset(new double[n]);
        if (p > 0) {
            model = model.withControlMatrix(new double[n][p]);
            if (feedthrough) {
                model = model.withFeedthroughMatrix(new double[m][p]);
            }
        }
        return model;
    }

    @Override
    public Declarations declarations() {
        return new Declarations(KalmanFields.SPEC, KalmanFields.TEMPLATE, KalmanFields.FIT);
    }

    /**
     * EM settings: {@code "fixed"} (names of parameters to hold, see {@link KalmanFitSettings#PARAMETER_NAMES}),
     * {@code "diagonalProcessNoise"}, {@code "diagonalObservationNoise"}.
     */
    @Override
    public FitSettings readFitSettings(SpecNode options) {
        options.requireObject(KalmanFields.FIT);
        Set<String> fixed = new LinkedHashSet<>();
        if (options.has("fixed")) {
            SpecNode node = options.field("fixed");
            List<SpecNode> elements = node.elements();
            for (SpecNode e : elements) {
                String name = e.asText();
                if (!KalmanFitSettings.PARAMETER_NAMES.contains(name)) {
                    throw e.error("unknown parameter \"" + name + "\"; expected one of "
                            + String.join(", ", KalmanFitSettings.PARAMETER_NAMES));
                }
                fixed.add(name);
            }
        }
        boolean diagonalQ = options.optional("diagonalProcessNoise").map(SpecNode::asBoolean).orElse(false);
        boolean diagonalR = options.optional("diagonalObservationNoise").map(SpecNode::asBoolean).orElse(false);
        return new KalmanFitSettings(fixed, diagonalQ, diagonalR);
    }
}
