package org.statespace.kalman;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.statespace.NumericalException;
import org.statespace.capability.FitSettings;
import org.statespace.capability.UnconstrainedParameters;
import org.statespace.numeric.CovarianceParameters;

/**
 * The unconstrained parametrisation of a linear-Gaussian model used for standard errors, with the parameters a
 * fit held fixed ({@link KalmanFitSettings#fixed()}) held fixed: F, B, b, H, D, d entry by entry as they are;
 * Q and R by their Cholesky factors with log diagonals ({@link CovarianceParameters}), or by the logs of their
 * diagonals when the fit kept them diagonal. Reported are every entry of F, B, b, H, D, d and the lower
 * triangles of Q and R. A noise covariance that is zero is held fixed (a boundary), as is one that is not
 * positive definite. The initial mean and covariance are held at their estimates: with one sequence their
 * maximum-likelihood estimate is a point mass at the smoothed first state, where the information is singular.
 */
final class LgssmParameters implements UnconstrainedParameters {

    private enum Kind { PLAIN, COVARIANCE, LOG_DIAGONAL, FIXED }

    /** One parameter matrix (row-major), how it is parametrised, and its size. */
    private record Block(String name, Kind kind, double[] values, int rows, int cols) {
        boolean covariance() {
            return name.equals("processNoise") || name.equals("observationNoise");
        }
    }

    private final LinearGaussianModel model;
    private final KalmanFitSettings settings;
    private final List<Block> blocks = new ArrayList<>();
    private final List<String> singular = new ArrayList<>();

    LgssmParameters(LinearGaussianModel model, KalmanFitSettings settings) {
        this.model = model;
        this.settings = settings;
        int n = model.n;
        int m = model.m;
        int p = model.p;
        plain("transitionMatrix", model.transition, n, n, true);
        plain("controlMatrix", model.control, n, p, model.hasControl);
        plain("transitionOffset", model.transitionOffset, n, 1, model.hasTransitionOffset);
        covariance("processNoise", model.processNoise, n, settings.diagonalProcessNoise());
        plain("observationMatrix", model.observation, m, n, true);
        plain("feedthroughMatrix", model.feedthrough, m, p, model.hasFeedthrough);
        plain("observationOffset", model.observationOffset, m, 1, model.hasObservationOffset);
        covariance("observationNoise", model.observationNoise, m, settings.diagonalObservationNoise());
    }

    private void plain(String name, double[] values, int rows, int cols, boolean present) {
        if (present) {
            blocks.add(new Block(name, settings.isFixed(name) ? Kind.FIXED : Kind.PLAIN, values, rows, cols));
        }
    }

    private void covariance(String name, double[] values, int d, boolean diagonal) {
        boolean isDiagonal = true;
        boolean zero = true;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                zero &= values[i * d + j] == 0;
                isDiagonal &= i == j || values[i * d + j] == 0;
            }
        }
        Kind kind;
        if (settings.isFixed(name) || zero) {
            kind = Kind.FIXED;
        } else if (diagonal && isDiagonal) {
            kind = Kind.LOG_DIAGONAL;
        } else {
            kind = Kind.COVARIANCE;
            try {
                CovarianceParameters.toUnconstrained(values, d, new ArrayList<>());
            } catch (NumericalException e) {
                kind = Kind.FIXED;
                singular.add(name);
            }
        }
        blocks.add(new Block(name, kind, values, d, d));
    }

    @Override
    public double[] unconstrainedParameters() {
        List<Double> out = new ArrayList<>();
        for (Block b : blocks) {
            switch (b.kind) {
                case PLAIN -> {
                    for (double v : b.values) {
                        out.add(v);
                    }
                }
                case COVARIANCE -> CovarianceParameters.toUnconstrained(b.values, b.rows, out);
                case LOG_DIAGONAL -> {
                    for (int i = 0; i < b.rows; i++) {
                        double v = b.values[i * b.rows + i];
                        if (v > 0) {
                            out.add(Math.log(v));
                        }
                    }
                }
                case FIXED -> {
                }
            }
        }
        double[] theta = new double[out.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = out.get(i);
        }
        return theta;
    }

    @Override
    public LinearGaussianModel withUnconstrainedParameters(double[] theta) {
        double[][] next = new double[blocks.size()][];
        int offset = 0;
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            double[] v = b.values.clone();
            switch (b.kind) {
                case PLAIN -> {
                    System.arraycopy(theta, offset, v, 0, v.length);
                    offset += v.length;
                }
                case COVARIANCE -> {
                    v = CovarianceParameters.fromUnconstrained(theta, offset, b.rows);
                    offset += CovarianceParameters.count(b.rows);
                }
                case LOG_DIAGONAL -> {
                    for (int i = 0; i < b.rows; i++) {
                        if (v[i * b.rows + i] > 0) {
                            v[i * b.rows + i] = Math.exp(theta[offset++]);
                        }
                    }
                }
                case FIXED -> {
                }
            }
            next[k] = v;
        }
        if (offset != theta.length) {
            throw new IllegalArgumentException("expected " + offset + " free parameters, got " + theta.length);
        }
        LinearGaussianModel o = model;
        return new LinearGaussianModel(o.n, o.m, o.p, find(next, "transitionMatrix", o.transition),
                find(next, "controlMatrix", o.control), find(next, "transitionOffset", o.transitionOffset),
                find(next, "processNoise", o.processNoise), find(next, "observationMatrix", o.observation),
                find(next, "feedthroughMatrix", o.feedthrough), find(next, "observationOffset", o.observationOffset),
                find(next, "observationNoise", o.observationNoise), o.initialMean.clone(), o.initialCovariance.clone(),
                o.hasControl, o.hasTransitionOffset, o.hasFeedthrough, o.hasObservationOffset, o.diffuseStates.clone())
                .withKalmanOptions(o.kalmanOptions());
    }

    private double[] find(double[][] next, String name, double[] absent) {
        for (int k = 0; k < blocks.size(); k++) {
            if (blocks.get(k).name.equals(name)) {
                return next[k];
            }
        }
        return absent.clone();
    }

    @Override
    public List<String> parameterNames() {
        List<String> out = new ArrayList<>();
        for (Block b : blocks) {
            if (b.covariance()) {
                CovarianceParameters.lowerTriangleNames(b.name, b.rows, out);
            } else {
                for (int i = 0; i < b.rows; i++) {
                    for (int j = 0; j < b.cols; j++) {
                        out.add(b.name + "[" + i + "]" + (b.cols > 1 || b.name.endsWith("Matrix") ? "[" + j + "]" : ""));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public double[] parameterValues() {
        return values(blocks.stream().map(Block::values).toList());
    }

    @Override
    public double[] parameterValuesAt(double[] theta) {
        return new LgssmParameters(withUnconstrainedParameters(theta), settings).parameterValues();
    }

    private double[] values(List<double[]> arrays) {
        List<Double> out = new ArrayList<>();
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            if (b.covariance()) {
                CovarianceParameters.lowerTriangle(arrays.get(k), b.rows, out);
            } else {
                for (double v : arrays.get(k)) {
                    out.add(v);
                }
            }
        }
        double[] values = new double[out.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = out.get(i);
        }
        return values;
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.empty();
    }

    @Override
    public String heldFixed() {
        List<String> parts = new ArrayList<>();
        List<String> byFit = new ArrayList<>();
        List<String> zero = new ArrayList<>();
        for (Block b : blocks) {
            if (b.kind == Kind.FIXED && settings.isFixed(b.name)) {
                byFit.add(b.name);
            } else if (b.kind == Kind.FIXED && !singular.contains(b.name)) {
                zero.add(b.name);
            }
        }
        if (!byFit.isEmpty()) {
            parts.add(String.join(", ", byFit) + " held fixed as the fit held them");
        }
        if (!zero.isEmpty()) {
            parts.add(String.join(", ", zero) + " held at zero (on the boundary)");
        }
        if (!singular.isEmpty()) {
            parts.add(String.join(", ", singular) + " held fixed (not positive definite: on the boundary)");
        }
        if (model.diffuseStates.length < model.n) {
            parts.add("the initial mean and covariance held at their estimates");
        }
        return String.join("; ", parts);
    }

    @Override
    public UnconstrainedParameters fixing(FitSettings fitSettings) {
        if (fitSettings == null || fitSettings == FitSettings.NONE) {
            return this;
        }
        return new LgssmParameters(model, FitSettings.of(fitSettings, KalmanFitSettings.class, settings, model.type()));
    }
}
