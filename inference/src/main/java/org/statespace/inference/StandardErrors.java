package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.StateSpaceModel;
import org.statespace.StatespaceException;
import org.statespace.capability.FitSettings;
import org.statespace.capability.UnconstrainedParameters;
import org.statespace.data.Dataset;
import org.statespace.data.SequenceSource;
import org.statespace.spec.Json;

/**
 * Standard errors of fitted parameters from the observed information, as statsmodels'
 * {@code cov_type="approx"}: the Hessian H of the exact log-likelihood ℓ(θ) at the optimum, taken by
 * central differences in the unconstrained parametrisation θ ({@link UnconstrainedParameters}),
 *
 * <pre>
 *   H_ii ≈ (ℓ(θ + h_i e_i) − 2ℓ(θ) + ℓ(θ − h_i e_i)) / h_i²
 *   H_ij ≈ (ℓ(θ + h_i e_i + h_j e_j) − ℓ(θ + h_i e_i − h_j e_j) − ℓ(θ − h_i e_i + h_j e_j) + ℓ(θ − h_i e_i − h_j e_j)) / (4 h_i h_j)
 * </pre>
 *
 * with h_i = 10⁻⁴ · max(1, |θ_i|) (about ε^{1/4}, which balances the O(h²) truncation against the O(ε/h²)
 * rounding of a second difference), then Σ_θ = (−H)⁻¹ by Cholesky (the information must be positive
 * definite, otherwise no standard errors are given and {@link #problem()} says why), mapped to the model's
 * parameters by the delta method, Σ = J Σ_θ Jᵀ with J = ∂values/∂θ by central differences with the same
 * steps. At an interior maximum this equals the inverse observed information in the model's own
 * parametrisation (the gradient vanishes there), so the choice of θ does not change the result.
 *
 * @param names          the reported parameters (m)
 * @param estimates      their fitted values (m)
 * @param standardErrors their standard errors (m); NaN for all when {@link #problem()} is not empty, and
 *                       for a parameter held fixed (see {@link #fixed()})
 * @param fixed          whether each parameter is held at its estimate (a variance or probability of exactly
 *                       0, or one the family holds fixed); such a parameter has no standard error
 * @param problem        why there are no standard errors (no parametrisation for this model, an information
 *                       matrix that is not positive definite, a failed evaluation), or empty
 * @param note           which parameters are held fixed, or empty
 */
public record StandardErrors(List<String> names, double[] estimates, double[] standardErrors, boolean[] fixed,
        String problem, String note) {

    /** The normal quantile for two-sided 95% intervals, Φ⁻¹(0.975). */
    public static final double Z95 = 1.959963984540054;

    /** Above this many free parameters the numerical Hessian (2k² likelihood evaluations) is not attempted. */
    public static final int MAX_PARAMETERS = 200;

    /** Above this many filter steps in all (2k² evaluations × the data's length) the Hessian is not attempted. */
    public static final double MAX_WORK = 2e9;

    public StandardErrors {
        names = List.copyOf(names);
        estimates = estimates.clone();
        standardErrors = standardErrors.clone();
        fixed = fixed.clone();
    }

    @Override
    public double[] estimates() {
        return estimates.clone();
    }

    @Override
    public double[] standardErrors() {
        return standardErrors.clone();
    }

    @Override
    public boolean[] fixed() {
        return fixed.clone();
    }

    /** Whether standard errors were computed. */
    public boolean available() {
        return problem.isEmpty();
    }

    /**
     * Standard errors of a fitted model's parameters on its training data.
     *
     * @param model  the fitted model (at the maximum of the likelihood)
     * @param data   the data it was fitted to
     * @param engine evaluates the log-likelihood
     */
    public static StandardErrors of(StateSpaceModel<?, ?> model, Dataset data, FilterEngine engine) {
        return of(model, data, engine, FitSettings.NONE);
    }

    /**
     * Standard errors of a fitted model's parameters on its training data, with the parameters the fit's
     * family settings held fixed (a linear-Gaussian model's {@code "fixed"} matrices, its diagonal noise) held
     * fixed here too ({@link UnconstrainedParameters#fixing}).
     *
     * @param settings the family settings the model was fitted with ({@link FitSettings#NONE} for none)
     */
    public static StandardErrors of(StateSpaceModel<?, ?> model, Dataset data, FilterEngine engine,
            FitSettings settings) {
        return of(model, SequenceSource.of(data), engine, settings);
    }

    /**
     * {@link #of(StateSpaceModel, Dataset, FilterEngine, FitSettings)} over sequences read from a source, such as
     * a file read by offsets ({@link org.statespace.data.SequenceIndex}): each of the Hessian's log-likelihoods is
     * a pass over it ({@link FilterEngine#stream(StateSpaceModel, SequenceSource, StepListener)}: a sequence at a
     * time, a long one in chunks), so the heap does not grow with the data. The passes sum the same steps in the
     * same order as over the same data in memory, so the standard errors are the same, bit for bit.
     *
     * @param data the sequences, read for this model (a source of data in memory is aligned to it on each pass, as
     *             {@link FilterEngine#stream(StateSpaceModel, Dataset, StepListener)} does)
     */
    public static StandardErrors of(StateSpaceModel<?, ?> model, SequenceSource data, FilterEngine engine,
            FitSettings settings) {
        if (!(model instanceof UnconstrainedParameters unconstrained)) {
            return new StandardErrors(List.of(), new double[0], new double[0], new boolean[0],
                    "no standard errors for " + model.type() + " models" + (model.type().equals("rnn")
                            ? " (a network's weights are not identified: permuting hidden units gives the same "
                                    + "likelihood, so the observed information is singular)"
                            : "; they are computed for Markov chains, HMMs, structural and linear-Gaussian models"),
                    "");
        }
        UnconstrainedParameters p = unconstrained.fixing(settings);
        List<String> names = p.parameterNames();
        double[] values = p.parameterValues();
        int m = values.length;
        double[] nan = new double[m];
        java.util.Arrays.fill(nan, Double.NaN);
        boolean[] none = new boolean[m];
        if (p.unavailable().isPresent()) {
            return new StandardErrors(names, values, nan, none, p.unavailable().get(), p.heldFixed());
        }
        double[] theta = p.unconstrainedParameters();
        int k = theta.length;
        if (k > MAX_PARAMETERS) {
            return new StandardErrors(names, values, nan, none, "the model has " + k + " free parameters, more than the "
                    + MAX_PARAMETERS + " a numerical Hessian is taken for", p.heldFixed());
        }
        long steps = 0;
        for (int i = 0; i < data.size(); i++) {
            steps += data.length(i);
        }
        double work = 2.0 * k * k * steps;
        if (work > MAX_WORK) {
            return new StandardErrors(names, values, nan, none, String.format(java.util.Locale.ROOT,
                    "the numerical Hessian would take 2k² = %d log-likelihood evaluations over %d steps, more than the "
                            + "%.0e steps allowed", 2L * k * k, steps, MAX_WORK), p.heldFixed());
        }
        double[] h = new double[k];
        for (int i = 0; i < k; i++) {
            h[i] = 1e-4 * Math.max(1, Math.abs(theta[i]));
        }
        double[][] jacobian = new double[m][k];
        double[][] covariance;
        try {
            double[][] hessian = hessian(theta, h, t -> logLikelihood(p, t, data, engine));
            for (int i = 0; i < k; i++) {
                double[] plus = parameterValues(p, shifted(theta, i, h[i]));
                double[] minus = parameterValues(p, shifted(theta, i, -h[i]));
                for (int r = 0; r < m; r++) {
                    jacobian[r][i] = (plus[r] - minus[r]) / (2 * h[i]);
                }
            }
            double[][] information = new double[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    information[i][j] = -(hessian[i][j] + hessian[j][i]) / 2;
                }
            }
            // a pivot below what rounding in ℓ can produce in a second difference (ε|ℓ|/h², with a wide margin
            // for the error accumulated over a filter pass) is a flat direction, not information
            double f0 = Math.abs(logLikelihood(p, theta, data, engine));
            double[] floor = new double[k];
            for (int i = 0; i < k; i++) {
                floor[i] = 1e4 * Math.ulp(1.0) * Math.max(1, f0) / (h[i] * h[i]);
            }
            covariance = inverse(information, floor);
            if (covariance == null) {
                return new StandardErrors(names, values, nan, none, "the observed information is not positive definite "
                        + "(the fit is not at a strict maximum: a parameter on a boundary, a flat direction such as "
                        + "two equal states, or a fit that has not converged), so there are no standard errors",
                        p.heldFixed());
            }
        } catch (StatespaceException | IllegalArgumentException e) {
            return new StandardErrors(names, values, nan, none, "the log-likelihood could not be evaluated next to the "
                    + "estimate: " + e.getMessage(), p.heldFixed());
        }
        double[] se = new double[m];
        boolean[] fixed = new boolean[m];
        for (int r = 0; r < m; r++) {
            boolean moves = false;
            double v = 0;
            for (int i = 0; i < k; i++) {
                moves |= jacobian[r][i] != 0;
                for (int j = 0; j < k; j++) {
                    v += jacobian[r][i] * covariance[i][j] * jacobian[r][j];
                }
            }
            fixed[r] = !moves;
            se[r] = moves ? Math.sqrt(Math.max(0, v)) : Double.NaN;
        }
        return new StandardErrors(names, values, se, fixed, "", p.heldFixed());
    }

    interface Function {
        double at(double[] theta);
    }

    /** The central-difference Hessian of f at theta with steps h (see the class comment). */
    static double[][] hessian(double[] theta, double[] h, Function f) {
        int k = theta.length;
        double f0 = f.at(theta);
        double[][] out = new double[k][k];
        for (int i = 0; i < k; i++) {
            double up = f.at(shifted(theta, i, h[i]));
            double down = f.at(shifted(theta, i, -h[i]));
            out[i][i] = (up - 2 * f0 + down) / (h[i] * h[i]);
            for (int j = 0; j < i; j++) {
                double pp = f.at(shifted(shifted(theta, i, h[i]), j, h[j]));
                double pm = f.at(shifted(shifted(theta, i, h[i]), j, -h[j]));
                double mp = f.at(shifted(shifted(theta, i, -h[i]), j, h[j]));
                double mm = f.at(shifted(shifted(theta, i, -h[i]), j, -h[j]));
                out[i][j] = (pp - pm - mp + mm) / (4 * h[i] * h[j]);
                out[j][i] = out[i][j];
            }
        }
        return out;
    }

    private static double[] shifted(double[] theta, int i, double by) {
        double[] t = theta.clone();
        t[i] += by;
        return t;
    }

    private static double logLikelihood(UnconstrainedParameters p, double[] theta, SequenceSource data,
            FilterEngine engine) {
        double ll = engine.stream(p.withUnconstrainedParameters(theta), data, null).logLikelihood();
        if (!Double.isFinite(ll)) {
            throw new IllegalArgumentException("log-likelihood " + ll + " at θ = " + java.util.Arrays.toString(theta));
        }
        return ll;
    }

    private static double[] parameterValues(UnconstrainedParameters p, double[] theta) {
        return p.parameterValuesAt(theta);
    }

    /**
     * The inverse of a symmetric matrix by Cholesky, or null when it is not positive definite: when a pivot
     * (the variance left in a direction after the earlier ones) is not above {@code floor[j]}.
     */
    static double[][] inverse(double[][] a, double[] floor) {
        int k = a.length;
        double[][] l = new double[k][k];
        for (int j = 0; j < k; j++) {
            double d = a[j][j];
            for (int s = 0; s < j; s++) {
                d -= l[j][s] * l[j][s];
            }
            if (!(d > floor[j]) || !Double.isFinite(d)) {
                return null;
            }
            l[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < k; i++) {
                double v = a[i][j];
                for (int s = 0; s < j; s++) {
                    v -= l[i][s] * l[j][s];
                }
                l[i][j] = v / l[j][j];
            }
        }
        double[][] out = new double[k][k];
        for (int c = 0; c < k; c++) {
            double[] x = new double[k];
            for (int i = 0; i < k; i++) {       // L y = e_c
                double v = i == c ? 1 : 0;
                for (int s = 0; s < i; s++) {
                    v -= l[i][s] * x[s];
                }
                x[i] = v / l[i][i];
            }
            for (int i = k - 1; i >= 0; i--) {  // Lᵀ x = y
                double v = x[i];
                for (int s = i + 1; s < k; s++) {
                    v -= l[s][i] * x[s];
                }
                x[i] = v / l[i][i];
            }
            for (int i = 0; i < k; i++) {
                out[i][c] = x[i];
            }
        }
        return out;
    }

    /** Lower and upper end of the 95% Wald interval, estimate ∓ 1.96 SE (NaN without a standard error). */
    public double[] interval95(int i) {
        return new double[] {estimates[i] - Z95 * standardErrors[i], estimates[i] + Z95 * standardErrors[i]};
    }

    /** For the fit report: one entry per parameter, and the problem or note when there is one. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("method", "observed information: numerical Hessian of the log-likelihood in the unconstrained "
                + "parametrisation, delta method");
        if (!problem.isEmpty()) {
            o.put("problem", problem);
        }
        if (!note.isEmpty()) {
            o.put("note", note);
        }
        ArrayNode a = o.putArray("parameters");
        for (int i = 0; i < names.size(); i++) {
            ObjectNode p = a.addObject();
            p.put("name", names.get(i));
            Json.number(p, "estimate", estimates[i]);
            if (fixed[i]) {
                p.put("fixed", true);
            } else if (available()) {
                Json.number(p, "standardError", standardErrors[i]);
                double[] ci = interval95(i);
                Json.number(p, "lower95", ci[0]);
                Json.number(p, "upper95", ci[1]);
            }
        }
        return o;
    }

    /** A statsmodels-like table: name, estimate, standard error, 95% interval, one row each. */
    public List<String> table() {
        List<String> lines = new ArrayList<>();
        int width = Math.max(9, names.stream().mapToInt(String::length).max().orElse(0));
        lines.add(String.format(Locale.ROOT, "%-" + width + "s %13s %13s %13s %13s", "parameter", "estimate", "std err",
                "[0.025", "0.975]"));
        for (int i = 0; i < names.size(); i++) {
            if (fixed[i] || !available()) {
                lines.add(String.format(Locale.ROOT, "%-" + width + "s %13.6g %13s", names.get(i), estimates[i],
                        fixed[i] ? "fixed" : "-"));
            } else {
                double[] ci = interval95(i);
                lines.add(String.format(Locale.ROOT, "%-" + width + "s %13.6g %13.6g %13.6g %13.6g", names.get(i),
                        estimates[i], standardErrors[i], ci[0], ci[1]));
            }
        }
        return lines;
    }
}
