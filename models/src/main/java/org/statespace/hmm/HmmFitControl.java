package org.statespace.hmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


import org.statespace.numeric.Cholesky;
import org.statespace.numeric.ConjugateDensities;
import org.statespace.numeric.SpecialFunctions;
import org.statespace.spec.SpecNode;
import org.statespace.spec.Suggestions;

/**
 * What an HMM spec says about its own fitting: the conjugate {@code "prior"} that turns Baum-Welch into
 * maximum a posteriori EM, and the {@code "fit"} block of fixed, tied and bounded parameters. Both are read
 * with the model, travel with every model EM makes from it and are written back with the fitted spec.
 * Immutable.
 *
 * <pre>{@code
 * "prior": {"initial": {"concentration": 2},
 *           "transition": {"concentration": 1, "sticky": 50},
 *           "emission": {"meanPrior": [0], "meanWeight": 0.01, "covarianceScale": 1, "covarianceDegreesOfFreedom": 3}},
 * "fit": {"fixed": ["emission.means[0]", "transition[0][2]"],
 *         "tied": {"calm": ["emission.covariances[1]", "emission.covariances[2]"]},
 *         "bounds": {"emission.covariances[0]": {"lower": 0.01}, "emission.rates[1]": {"lower": 1, "upper": 5}}}
 * }</pre>
 *
 * <p><b>Priors.</b> Dirichlet(α) on π and on each row of A ({@code concentration} a number, a vector or a
 * K×K matrix, every entry &ge; 1 so the mode is closed-form; {@code sticky} κ adds to the diagonal's
 * concentration, Fox et al.'s sticky HMM); Dirichlet on each row of categorical emissions; Gamma(shape a &ge; 1,
 * rate b &ge; 0) on Poisson rates; a symmetric Dirichlet ({@code weightConcentration} &ge; 1) on each state's
 * mixture weights of gmm emissions; for Gaussian emissions the Normal-inverse-Wishart
 * μ_k | Σ_k ~ N(μ0, Σ_k/κ0), Σ ~ IW(Ψ, ν) (full and tied covariances; ν &gt; d - 1) and its per-variance form
 * σ² ~ IG(ν/2, ψ/2) for diagonal and spherical ones. The MAP M-step is the conjugate mode (Murphy 2012, §4.6.3;
 * hmmlearn's {@code _do_mstep} with means_prior, means_weight, covars_prior, covars_weight):
 * p ∝ counts + α - 1; λ = (Σγo + a - 1) / (Σγ + b); μ = (κ0 μ0 + Σγo) / (κ0 + N);
 * Σ = (Ψ + Σγ(o - μ)(o - μ)ᵀ + κ0(μ - μ0)(μ - μ0)ᵀ) / (N + ν + d + 1 + [κ0 &gt; 0]) (the per-variance forms
 * use ν + 2 in place of ν + d + 1). {@link #logPrior} is the normalised log-density of the parameters.
 *
 * <p><b>Constraints</b> use the JSON paths of the spec (and of its error messages). {@code fixed}: entries of
 * π and of A ({@code initial[i]}, {@code transition[i][j]}, whole rows or the whole matrix), a state's mean or
 * covariance, Poisson rates, categorical rows or entries; the free entries of a row share what the fixed ones
 * leave, in proportion to their (posterior) counts, the exact constrained maximum. Entries that are 0 in the
 * spec are structural zeros: they stay 0 and the Dirichlet lives on the others. {@code tied}: named groups of
 * state covariances, Poisson rate vectors or categorical rows that share one value (the pooled estimate).
 * {@code bounds}: {@code lower}/{@code upper} on covariances (their eigenvalues; variance floors per state) and
 * on Poisson rates; the M-step's constrained maximum clips there.
 */
final class HmmFitControl {

    private static final Pattern PATH = Pattern.compile("([A-Za-z.]+)((?:\\[\\d+\\])*)");

    final JsonNode priorJson;      // as written in the spec, or null
    final JsonNode fitJson;        // as written in the spec, or null
    final int states;

    // prior (null: none)
    final double[] initialAlpha;       // K
    final double[] transitionAlpha;    // K×K, sticky included
    final double[] meanPrior;          // K×d
    final double meanWeight;           // κ0
    final double[] covarianceScale;    // d×d (full, tied), d (diagonal), 1 (spherical)
    final double degreesOfFreedom;     // ν
    final double rateShape;            // a (NaN: no rate prior)
    final double rateRate;             // b
    final double[] symbolAlpha;        // K×M
    final double weightAlpha;          // symmetric Dirichlet on mixture weights (1: none)

    // constraints
    final boolean[] initialSupport;    // K, false: a structural zero
    final boolean[] transitionSupport; // K×K
    final boolean[] fixedInitial;
    final boolean[] fixedTransition;
    final boolean[] fixedMean;         // K
    final boolean[] fixedCovariance;   // K
    final boolean[] fixedRate;         // K×d
    final boolean[] fixedSymbol;       // K×M
    final int[] group;                 // K: the tie group of state k's covariance, rates or row; -1 for none
    final double[] lower;              // K (covariances) or K×d (rates)
    final double[] upper;

    private HmmFitControl(Builder b) {
        priorJson = b.priorJson;
        fitJson = b.fitJson;
        states = b.states;
        initialAlpha = b.initialAlpha;
        transitionAlpha = b.transitionAlpha;
        meanPrior = b.meanPrior;
        meanWeight = b.meanWeight;
        covarianceScale = b.covarianceScale;
        degreesOfFreedom = b.degreesOfFreedom;
        rateShape = b.rateShape;
        rateRate = b.rateRate;
        symbolAlpha = b.symbolAlpha;
        weightAlpha = b.weightAlpha;
        initialSupport = b.initialSupport;
        transitionSupport = b.transitionSupport;
        fixedInitial = b.fixedInitial;
        fixedTransition = b.fixedTransition;
        fixedMean = b.fixedMean;
        fixedCovariance = b.fixedCovariance;
        fixedRate = b.fixedRate;
        fixedSymbol = b.fixedSymbol;
        group = b.group;
        lower = b.lower;
        upper = b.upper;
    }

    /** Whether the spec gave a prior (EM then maximises the posterior). */
    boolean hasPrior() {
        return priorJson != null;
    }

    /** Writes the blocks back into a spec as they were given. */
    void writeTo(ObjectNode spec) {
        if (priorJson != null) {
            spec.set("prior", priorJson.deepCopy());
        }
        if (fitJson != null) {
            spec.set("fit", fitJson.deepCopy());
        }
    }

    // ----------------------------------------------------------------------------------------------
    // reading

    private static final class Builder {
        JsonNode priorJson;
        JsonNode fitJson;
        int states;
        double[] initialAlpha;
        double[] transitionAlpha;
        double[] meanPrior;
        double meanWeight;
        double[] covarianceScale;
        double degreesOfFreedom;
        double rateShape = Double.NaN;
        double rateRate;
        double[] symbolAlpha;
        double weightAlpha = 1;
        boolean[] initialSupport;
        boolean[] transitionSupport;
        boolean[] fixedInitial;
        boolean[] fixedTransition;
        boolean[] fixedMean;
        boolean[] fixedCovariance;
        boolean[] fixedRate;
        boolean[] fixedSymbol;
        int[] group;
        double[] lower;
        double[] upper;
    }

    /**
     * Reads the optional {@code "prior"} and {@code "fit"} fields of an HMM spec for the model read from the rest
     * of it; null when the spec has neither.
     *
     * @throws org.statespace.SpecException naming the path of anything invalid (an unknown parameter path with
     *                                      the nearest valid one)
     */
    static HmmFitControl read(SpecNode spec, double[] initial, double[] transition, EmissionModel emission) {
        if (!spec.has("prior") && !spec.has("fit")) {
            return null;
        }
        int k = initial.length;
        Builder b = new Builder();
        b.states = k;
        b.initialSupport = new boolean[k];
        b.transitionSupport = new boolean[k * k];
        for (int i = 0; i < k; i++) {
            b.initialSupport[i] = initial[i] > 0;
        }
        for (int i = 0; i < k * k; i++) {
            b.transitionSupport[i] = transition[i] > 0;
        }
        b.fixedInitial = new boolean[k];
        b.fixedTransition = new boolean[k * k];
        b.fixedMean = new boolean[k];
        b.fixedCovariance = new boolean[k];
        int width = emission instanceof PoissonEmission p ? p.dimension()
                : emission instanceof CategoricalEmission c ? c.symbolCount() : 1;
        b.fixedRate = new boolean[k * width];
        b.fixedSymbol = new boolean[k * width];
        b.group = new int[k];
        Arrays.fill(b.group, -1);
        b.lower = new double[k * width];
        b.upper = new double[k * width];
        Arrays.fill(b.lower, 0);
        Arrays.fill(b.upper, Double.POSITIVE_INFINITY);
        if (spec.has("prior")) {
            SpecNode p = spec.field("prior");
            b.priorJson = p.json().deepCopy();
            readPrior(p, b, emission);
        }
        if (spec.has("fit")) {
            SpecNode f = spec.field("fit");
            b.fitJson = f.json().deepCopy();
            readFit(f, b, emission);
        }
        return new HmmFitControl(b);
    }

    private static void readPrior(SpecNode p, Builder b, EmissionModel emission) {
        int k = b.states;
        p.requireObject("initial", "transition", "emission");
        if (p.has("initial")) {
            SpecNode i = p.field("initial");
            i.requireObject("concentration");
            b.initialAlpha = concentrations(i.field("concentration"), 1, k);
        }
        if (p.has("transition")) {
            SpecNode t = p.field("transition");
            t.requireObject("concentration", "sticky");
            b.transitionAlpha = t.has("concentration") ? concentrations(t.field("concentration"), k, k) : filled(k * k, 1);
            if (t.has("sticky")) {
                double kappa = t.field("sticky").asDoubleAtLeast(0);
                for (int i = 0; i < k; i++) {
                    b.transitionAlpha[i * k + i] += kappa;
                }
            }
        }
        if (p.has("emission")) {
            SpecNode e = p.field("emission");
            if (emission instanceof GaussianEmission g) {
                readGaussianPrior(e, b, g);
            } else if (emission instanceof PoissonEmission) {
                e.requireObject("shape", "rate");
                b.rateShape = e.optional("shape").map(n -> atLeastOne(n)).orElse(1.0);
                b.rateRate = e.optional("rate").map(n -> n.asDoubleAtLeast(0)).orElse(0.0);
            } else if (emission instanceof CategoricalEmission c) {
                e.requireObject("concentration");
                b.symbolAlpha = concentrations(e.field("concentration"), k, c.symbolCount());
            } else {
                // a Gaussian mixture: a symmetric Dirichlet on each state's component weights
                e.requireObject("weightConcentration");
                b.weightAlpha = atLeastOne(e.field("weightConcentration"));
            }
        }
    }

    private static void readGaussianPrior(SpecNode e, Builder b, GaussianEmission g) {
        int k = b.states;
        int d = g.dimension();
        e.requireObject("meanPrior", "meanWeight", "covarianceScale", "covarianceDegreesOfFreedom");
        b.meanWeight = e.optional("meanWeight").map(n -> n.asDoubleAtLeast(0)).orElse(0.0);
        b.meanPrior = new double[k * d];
        if (e.has("meanPrior")) {
            SpecNode m = e.field("meanPrior");
            if (m.json().isArray() && m.json().size() > 0 && m.json().get(0).isArray()) {
                double[][] rows = m.asMatrix(k, d);
                for (int s = 0; s < k; s++) {
                    System.arraycopy(rows[s], 0, b.meanPrior, s * d, d);
                }
            } else {
                double[] v = m.asVector(d);
                for (int s = 0; s < k; s++) {
                    System.arraycopy(v, 0, b.meanPrior, s * d, d);
                }
            }
        } else if (b.meanWeight > 0) {
            throw e.errorAt("meanWeight", "a mean prior needs its centre: give meanPrior (a vector of " + d
                    + " or a " + k + "x" + d + " matrix)");
        }
        boolean scale = e.has("covarianceScale");
        boolean dof = e.has("covarianceDegreesOfFreedom");
        if (scale != dof) {
            throw e.error("an inverse-Wishart covariance prior needs both covarianceScale and covarianceDegreesOfFreedom");
        }
        if (!scale) {
            return;
        }
        CovarianceType type = g.covarianceType();
        boolean matrix = type == CovarianceType.FULL || type == CovarianceType.TIED;
        SpecNode nuNode = e.field("covarianceDegreesOfFreedom");
        double nu = nuNode.asDouble();
        double minimum = matrix ? d - 1 : 0;
        if (!(nu > minimum) || Double.isInfinite(nu)) {
            throw nuNode.error("must be finite and greater than " + (matrix ? "d - 1 = " + (d - 1) : "0")
                    + " for a proper prior, got " + nu);
        }
        b.degreesOfFreedom = nu;
        SpecNode s = e.field("covarianceScale");
        if (s.json().isNumber()) {
            double psi = s.asPositive();
            if (matrix) {
                b.covarianceScale = new double[d * d];
                for (int j = 0; j < d; j++) {
                    b.covarianceScale[j * d + j] = psi;
                }
            } else {
                b.covarianceScale = type == CovarianceType.SPHERICAL ? new double[] {psi} : filled(d, psi);
            }
        } else if (matrix) {
            double[][] m = s.asSquareMatrix(d);
            org.statespace.numeric.Validate.positiveDefinite(s, m);
            b.covarianceScale = org.statespace.numeric.Validate.pack(m);
        } else if (type == CovarianceType.DIAGONAL) {
            double[] v = s.asVector(d);
            List<SpecNode> el = s.elements();
            for (int j = 0; j < d; j++) {
                el.get(j).asPositive();
            }
            b.covarianceScale = v;
        } else {
            throw s.error("a spherical covariance takes one positive number as its scale");
        }
    }

    private static double atLeastOne(SpecNode n) {
        double v = n.asDouble();
        if (!(v >= 1) || Double.isInfinite(v)) {
            throw n.error("must be finite and at least 1 (below 1 the prior has no finite mode), got " + v);
        }
        return v;
    }

    // a number, or rows×cols values (a vector when rows = 1), every one at least 1
    private static double[] concentrations(SpecNode n, int rows, int cols) {
        if (n.json().isNumber()) {
            return filled(rows * cols, atLeastOne(n));
        }
        double[] out = new double[rows * cols];
        if (rows == 1) {
            List<SpecNode> el = n.elements();
            if (el.size() != cols) {
                throw n.error("expected " + cols + " concentrations, got " + el.size());
            }
            for (int j = 0; j < cols; j++) {
                out[j] = atLeastOne(el.get(j));
            }
            return out;
        }
        List<SpecNode> rs = n.elements();
        if (rs.size() != rows) {
            throw n.error("expected " + rows + " rows of concentrations, got " + rs.size());
        }
        for (int i = 0; i < rows; i++) {
            List<SpecNode> el = rs.get(i).elements();
            if (el.size() != cols) {
                throw rs.get(i).error("expected " + cols + " concentrations, got " + el.size());
            }
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = atLeastOne(el.get(j));
            }
        }
        return out;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Every parameter path the fit block accepts for this model, in spec order. */
    static List<String> validPaths(int k, EmissionModel emission) {
        List<String> out = new ArrayList<>();
        out.add("initial");
        for (int i = 0; i < k; i++) {
            out.add("initial[" + i + "]");
        }
        out.add("transition");
        for (int i = 0; i < k; i++) {
            out.add("transition[" + i + "]");
            for (int j = 0; j < k; j++) {
                out.add("transition[" + i + "][" + j + "]");
            }
        }
        if (emission instanceof GaussianEmission g) {
            out.add("emission.means");
            for (int s = 0; s < k; s++) {
                out.add("emission.means[" + s + "]");
            }
            out.add("emission.covariances");
            if (g.covarianceType() != CovarianceType.TIED) {
                for (int s = 0; s < k; s++) {
                    out.add("emission.covariances[" + s + "]");
                }
            }
        } else if (emission instanceof PoissonEmission p) {
            out.add("emission.rates");
            for (int s = 0; s < k; s++) {
                out.add("emission.rates[" + s + "]");
                for (int j = 0; j < p.dimension(); j++) {
                    out.add("emission.rates[" + s + "][" + j + "]");
                }
            }
        } else if (emission instanceof CategoricalEmission c) {
            out.add("emission.probabilities");
            for (int s = 0; s < k; s++) {
                out.add("emission.probabilities[" + s + "]");
                for (int j = 0; j < c.symbolCount(); j++) {
                    out.add("emission.probabilities[" + s + "][" + j + "]");
                }
            }
        }
        return out;
    }

    // a path checked against the valid ones: its name and indices
    private record Path(String text, String name, int[] index) {
    }

    private static Path path(SpecNode node, List<String> valid) {
        String text = node.asText().trim();
        if (!valid.contains(text)) {
            String hint = Suggestions.nearest(text, valid).map(s -> "; the nearest valid path is \"" + s + "\"")
                    .orElse("; valid paths look like " + examples(valid));
            throw node.error("\"" + text + "\" names no parameter of this model" + hint);
        }
        Matcher m = PATH.matcher(text);
        if (!m.matches()) {
            throw new IllegalStateException(text);
        }
        String idx = m.group(2);
        List<Integer> ints = new ArrayList<>();
        Matcher im = Pattern.compile("\\[(\\d+)\\]").matcher(idx);
        while (im.find()) {
            ints.add(Integer.parseInt(im.group(1)));
        }
        return new Path(text, m.group(1), ints.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String examples(List<String> valid) {
        List<String> some = new ArrayList<>();
        String last = "";
        for (String v : valid) {
            String kind = v.replaceAll("\\[.*", "");
            if (!kind.equals(last) && v.contains("[")) {
                some.add("\"" + v + "\"");
                last = kind;
            }
        }
        return String.join(", ", some);
    }

    private static void readFit(SpecNode f, Builder b, EmissionModel emission) {
        int k = b.states;
        if (emission instanceof GaussianMixtureEmission) {
            throw f.error("the fit block does not apply to gmm emissions yet (gaussian, poisson and categorical "
                    + "emissions take one)");
        }
        f.requireObject("fixed", "tied", "bounds");
        List<String> valid = validPaths(k, emission);
        int width = b.fixedRate.length / k;
        if (f.has("fixed")) {
            for (SpecNode n : f.field("fixed").elements()) {
                Path p = path(n, valid);
                markFixed(p, b, width);
            }
        }
        if (f.has("tied")) {
            SpecNode tied = f.field("tied");
            tied.requireObject(tied.fieldNames().toArray(new String[0]));
            int id = 0;
            for (String name : tied.fieldNames()) {
                SpecNode list = tied.field(name);
                List<SpecNode> members = list.elements();
                if (members.size() < 2) {
                    throw list.error("a tie group needs at least two parameters, got " + members.size());
                }
                String firstShape = null;
                String firstText = null;
                List<Path> paths = new ArrayList<>();
                for (SpecNode n : members) {
                    Path p = path(n, valid);
                    String shape = shape(p, emission, k);
                    if (firstShape == null) {
                        firstShape = shape;
                        firstText = p.text();
                    } else if (!shape.equals(firstShape)) {
                        throw n.error("tied parameters must have one shape: " + firstText + " is " + firstShape + " but "
                                + p.text() + " is " + shape);
                    }
                    paths.add(p);
                }
                for (int i = 0; i < paths.size(); i++) {
                    Path p = paths.get(i);
                    SpecNode n = members.get(i);
                    boolean tieable = p.index().length == 1 && (p.name().equals("emission.covariances")
                            || p.name().equals("emission.rates") || p.name().equals("emission.probabilities"));
                    if (!tieable || !p.name().equals(paths.get(0).name())) {
                        throw n.error("tying applies to whole states' emission.covariances[k], emission.rates[k] or "
                                + "emission.probabilities[k] of one kind, not to \"" + p.text() + "\"");
                    }
                    int s = p.index()[0];
                    if (b.group[s] >= 0) {
                        throw n.error("\"" + p.text() + "\" is in two tie groups");
                    }
                    if (isFixed(p, b, width)) {
                        throw n.error("\"" + p.text() + "\" is both fixed and tied");
                    }
                    b.group[s] = id;
                }
                id++;
            }
        }
        if (f.has("bounds")) {
            SpecNode bounds = f.field("bounds");
            for (String key : bounds.fieldNames()) {
                SpecNode bound = bounds.field(key);
                Path p = path(SpecNode.root(com.fasterxml.jackson.databind.node.TextNode.valueOf(key), bounds.source())
                        .relocated(bound.path()), valid);
                bound.requireObject("lower", "upper");
                double lo = bound.optional("lower").map(n -> n.asDoubleAtLeast(0)).orElse(0.0);
                double hi = bound.optional("upper").map(SpecNode::asPositive).orElse(Double.POSITIVE_INFINITY);
                if (!(lo <= hi)) {
                    throw bound.error("the lower bound " + lo + " is above the upper bound " + hi);
                }
                boolean covariance = p.name().equals("emission.covariances");
                boolean rate = p.name().equals("emission.rates");
                if (!covariance && !rate) {
                    throw bound.error("bounds apply to emission.covariances and emission.rates, not to \"" + key + "\"");
                }
                if (covariance && !(hi > 0)) {
                    throw bound.error("a covariance's upper bound must be positive, got " + hi);
                }
                for (int s = 0; s < k; s++) {
                    if (p.index().length > 0 && p.index()[0] != s) {
                        continue;
                    }
                    int w = covariance ? 1 : width;
                    for (int j = 0; j < w; j++) {
                        if (p.index().length > 1 && p.index()[1] != j) {
                            continue;
                        }
                        b.lower[s * width + j] = Math.max(b.lower[s * width + j], lo);
                        b.upper[s * width + j] = Math.min(b.upper[s * width + j], hi);
                    }
                }
            }
        }
    }

    private static String shape(Path p, EmissionModel e, int k) {
        int depth = p.index().length;
        return switch (p.name()) {
            case "initial" -> depth == 0 ? Integer.toString(k) : "1";
            case "transition" -> depth == 0 ? k + "x" + k : depth == 1 ? Integer.toString(k) : "1";
            case "emission.means" -> {
                int d = ((GaussianEmission) e).dimension();
                yield depth == 0 ? k + "x" + d : Integer.toString(d);
            }
            case "emission.covariances" -> {
                GaussianEmission g = (GaussianEmission) e;
                int d = g.dimension();
                String one = switch (g.covarianceType()) {
                    case FULL, TIED -> d + "x" + d;
                    case DIAGONAL -> Integer.toString(d);
                    case SPHERICAL -> "1";
                };
                yield depth == 0 ? k + " of " + one : one;
            }
            case "emission.rates" -> {
                int d = ((PoissonEmission) e).dimension();
                yield depth == 0 ? k + "x" + d : depth == 1 ? Integer.toString(d) : "1";
            }
            case "emission.probabilities" -> {
                int m = ((CategoricalEmission) e).symbolCount();
                yield depth == 0 ? k + "x" + m : depth == 1 ? Integer.toString(m) : "1";
            }
            default -> throw new IllegalStateException(p.name());
        };
    }

    private static boolean[] target(Path p, Builder b) {
        return switch (p.name()) {
            case "initial" -> b.fixedInitial;
            case "transition" -> b.fixedTransition;
            case "emission.means" -> b.fixedMean;
            case "emission.covariances" -> b.fixedCovariance;
            case "emission.rates" -> b.fixedRate;
            case "emission.probabilities" -> b.fixedSymbol;
            default -> throw new IllegalStateException(p.name());
        };
    }

    // the flat entries a path covers in its mask
    private static List<Integer> entries(Path p, Builder b, int width) {
        int k = b.states;
        int cols = switch (p.name()) {
            case "initial", "emission.means", "emission.covariances" -> 1;
            case "transition" -> k;
            default -> width;
        };
        int rows = p.name().equals("initial") ? 1 : k;
        List<Integer> out = new ArrayList<>();
        int[] ix = p.index();
        if (p.name().equals("initial")) {
            for (int i = 0; i < k; i++) {
                if (ix.length == 0 || ix[0] == i) {
                    out.add(i);
                }
            }
            return out;
        }
        for (int r = 0; r < rows; r++) {
            if (ix.length > 0 && ix[0] != r) {
                continue;
            }
            for (int c = 0; c < cols; c++) {
                if (ix.length > 1 && ix[1] != c) {
                    continue;
                }
                out.add(r * cols + c);
            }
        }
        return out;
    }

    private static void markFixed(Path p, Builder b, int width) {
        boolean[] mask = target(p, b);
        for (int i : entries(p, b, width)) {
            mask[i] = true;
        }
    }

    private static boolean isFixed(Path p, Builder b, int width) {
        boolean[] mask = target(p, b);
        for (int i : entries(p, b, width)) {
            if (mask[i]) {
                return true;
            }
        }
        return false;
    }

    // ----------------------------------------------------------------------------------------------
    // M-steps

    /**
     * One probability row under the control: structural zeros and fixed entries keep their values, the free
     * entries share 1 - (their sum) in proportion to counts + pseudo-count (+ extra at {@code extraIndex}) +
     * (α - 1). Keeps the row when there is nothing to share it by.
     */
    static void row(double[] counts, int offset, int n, double pseudo, double extra, int extraIndex, double[] alpha,
            boolean[] fixed, boolean[] support, double[] current, double[] out) {
        double fixedSum = 0;
        double total = 0;
        for (int j = 0; j < n; j++) {
            int i = offset + j;
            if (isHeld(i, fixed, support)) {
                fixedSum += current[i];
            } else {
                total += weight(counts, i, j, pseudo, extra, extraIndex, alpha);
            }
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            System.arraycopy(current, offset, out, offset, n);
            return;
        }
        double free = 1 - fixedSum;
        for (int j = 0; j < n; j++) {
            int i = offset + j;
            out[i] = isHeld(i, fixed, support) ? current[i]
                    : free * weight(counts, i, j, pseudo, extra, extraIndex, alpha) / total;
        }
    }

    private static boolean isHeld(int i, boolean[] fixed, boolean[] support) {
        return (fixed != null && fixed[i]) || (support != null && !support[i]);
    }

    private static double weight(double[] counts, int i, int j, double pseudo, double extra, int extraIndex,
            double[] alpha) {
        return counts[i] + pseudo + (j == extraIndex ? extra : 0) + (alpha == null ? 0 : alpha[i] - 1);
    }

    /** π and A of the next model. */
    void maximizeChain(HmmStatistics stats, HmmFitSettings s, double[] initial, double[] transition,
            double[] nextInitial, double[] nextTransition) {
        int k = states;
        if (s.fitInitial()) {
            row(stats.initial, 0, k, s.initialPseudoCount(), 0, -1, initialAlpha, fixedInitial, initialSupport, initial,
                    nextInitial);
        }
        if (s.fitTransition()) {
            for (int i = 0; i < k; i++) {
                row(stats.transitions, i * k, k, s.transitionPseudoCount(), s.selfTransitionPseudoCount(), i,
                        transitionAlpha, fixedTransition, transitionSupport, transition, nextTransition);
            }
        }
    }

    /** The emission M-step under the prior and the constraints. */
    EmissionModel maximizeEmission(EmissionModel e, EmissionModel.Statistics statistics, HmmFitSettings s) {
        if (e instanceof GaussianMixtureEmission) {
            // Dirichlet(α) on the weights is α - 1 more pseudo-count on each (the mixture takes no fit block)
            return e.maximize(statistics, weightAlpha == 1 ? s : s.withEmissionPseudoCount(s.emissionPseudoCount()
                    + (weightAlpha - 1)));
        }
        if (emissionFree()) {
            return e.maximize(statistics, s);   // a flat prior and no constraints: exactly the ML M-step
        }
        if (e instanceof GaussianEmission g) {
            return gaussian(g, (GaussianEmission.Stats) statistics, s);
        }
        if (e instanceof PoissonEmission p) {
            return poisson(p, (PoissonEmission.Stats) statistics, s);
        }
        if (e instanceof CategoricalEmission c) {
            return categorical(c, (CategoricalEmission.Stats) statistics, s);
        }
        return e.maximize(statistics, s);
    }

    // no emission prior (or a flat one) and no emission constraints
    private boolean emissionFree() {
        boolean flat = (meanPrior == null || meanWeight == 0) && covarianceScale == null
                && (Double.isNaN(rateShape) || (rateShape == 1 && rateRate == 0));
        if (symbolAlpha != null) {
            for (double a : symbolAlpha) {
                flat &= a == 1;
            }
        }
        return flat && none(fixedMean) && none(fixedCovariance) && none(fixedRate) && none(fixedSymbol)
                && Arrays.stream(group).allMatch(g -> g < 0) && Arrays.stream(lower).allMatch(v -> v == 0)
                && Arrays.stream(upper).allMatch(v -> v == Double.POSITIVE_INFINITY);
    }

    private static boolean none(boolean[] mask) {
        for (boolean b : mask) {
            if (b) {
                return false;
            }
        }
        return true;
    }

    private CategoricalEmission categorical(CategoricalEmission c, CategoricalEmission.Stats st, HmmFitSettings s) {
        int k = states;
        int m = c.symbolCount();
        double[] current = c.probabilitiesArray();
        double[] next = current.clone();
        double[] counts = st.counts.clone();
        // a tie group pools its rows' counts (and one prior), and every member takes the pooled row
        for (int g : groups()) {
            double[] pooled = new double[m];
            for (int r = 0; r < k; r++) {
                if (group[r] == g) {
                    for (int j = 0; j < m; j++) {
                        pooled[j] += st.counts[r * m + j];
                    }
                }
            }
            for (int r = 0; r < k; r++) {
                if (group[r] == g) {
                    System.arraycopy(pooled, 0, counts, r * m, m);
                }
            }
        }
        for (int r = 0; r < k; r++) {
            row(counts, r * m, m, s.emissionPseudoCount(), 0, -1, symbolAlpha, fixedSymbol, null, current, next);
        }
        // a group with nothing to share its row by kept each member's row: every member takes the first one's
        for (int r = 0; r < k; r++) {
            if (group[r] >= 0 && !firstOfGroup(r)) {
                System.arraycopy(next, members(group[r])[0] * m, next, r * m, m);
            }
        }
        return new CategoricalEmission(k, m, c.namesList(), next);
    }

    private PoissonEmission poisson(PoissonEmission p, PoissonEmission.Stats st, HmmFitSettings s) {
        int k = states;
        int d = p.dimension();
        double[] current = p.ratesArray();
        double[] next = current.clone();
        double a = Double.isNaN(rateShape) ? 1 : rateShape;
        double b = Double.isNaN(rateShape) ? 0 : rateRate;
        for (int r = 0; r < k; r++) {
            for (int j = 0; j < d; j++) {
                int i = r * d + j;
                if (fixedRate[i]) {
                    continue;
                }
                double sum = 0;
                double weight = 0;
                if (group[r] >= 0) {
                    for (int q = 0; q < k; q++) {
                        if (group[q] == group[r]) {
                            sum += st.sums[q * d + j];
                            weight += st.weights[q * d + j];
                        }
                    }
                } else {
                    sum = st.sums[i];
                    weight = st.weights[i];
                }
                double rate = (sum + (a - 1)) / (weight + b);
                if (!(weight + b > 0) || !Double.isFinite(rate)) {
                    // nothing to learn from: the group keeps its first member's rate, held to the bounds below
                    rate = current[(group[r] >= 0 ? members(group[r])[0] : r) * d + j];
                }
                double lo = Math.max(s.rateFloor(), groupBound(lower, r, j, d, true));
                double hi = groupBound(upper, r, j, d, false);
                next[i] = Math.min(Math.max(rate, lo), Math.max(hi, lo));
            }
        }
        return new PoissonEmission(k, d, next);
    }

    // the tightest bound over state r's tie group (of column j): the largest lower one, or the smallest upper one
    private double groupBound(double[] bound, int r, int j, int width, boolean lowerBound) {
        double v = bound[r * width + j];
        for (int q = 0; q < states; q++) {
            if (group[r] >= 0 && group[q] == group[r]) {
                v = lowerBound ? Math.max(v, bound[q * width + j]) : Math.min(v, bound[q * width + j]);
            }
        }
        return v;
    }

    private List<Integer> groups() {
        List<Integer> out = new ArrayList<>();
        for (int g : group) {
            if (g >= 0 && !out.contains(g)) {
                out.add(g);
            }
        }
        return out;
    }

    private GaussianEmission gaussian(GaussianEmission g, GaussianEmission.Stats st, HmmFitSettings s) {
        int k = states;
        int d = g.dimension();
        CovarianceType type = g.covarianceType();
        boolean full = type == CovarianceType.FULL || type == CovarianceType.TIED;
        int block = full ? d * d : d;
        double[] means = g.meansArray();
        double[] cov = g.covarianceArray();
        double[] nextMeans = means.clone();
        double[] next = cov.clone();
        double mw = meanPrior == null ? 0 : meanWeight;
        // per state: W_k = Σγ(o - μ_k')(o - μ_k')ᵀ + κ0(μ_k' - μ0)(μ_k' - μ0)ᵀ (full d×d) and its weight
        double[][] w = new double[k][d * d];
        double[] n = new double[k];
        for (int r = 0; r < k; r++) {
            n[r] = st.weight[r];
            double[] e = new double[d];   // μ' - μ (the move of the mean)
            if (!fixedMean[r]) {
                double denominator = mw + n[r];
                if (denominator > 0) {
                    for (int j = 0; j < d; j++) {
                        double shift = st.first[r * d + j] + mw * (meanPrior == null ? 0 : meanPrior[r * d + j] - means[r * d + j]);
                        e[j] = shift / denominator;
                    }
                }
            }
            if (!GaussianEmission.allFinite(e)) {
                Arrays.fill(e, 0);
                n[r] = 0;
            }
            for (int j = 0; j < d; j++) {
                nextMeans[r * d + j] = means[r * d + j] + e[j];
            }
            for (int a = 0; a < d; a++) {
                for (int c = 0; c <= a; c++) {
                    double second;
                    if (full) {
                        second = st.second[r * block + a * d + c];
                    } else {
                        second = a == c ? st.second[r * block + a] : 0;
                    }
                    // Σγ(o-μ-e)(o-μ-e)ᵀ = second - first eᵀ - e firstᵀ + n e eᵀ
                    double v = second - st.first[r * d + a] * e[c] - e[a] * st.first[r * d + c] + n[r] * e[a] * e[c];
                    if (mw > 0) {
                        double da = nextMeans[r * d + a] - meanPrior[r * d + a];
                        double dc = nextMeans[r * d + c] - meanPrior[r * d + c];
                        v += mw * da * dc;
                    }
                    w[r][a * d + c] = v;
                    w[r][c * d + a] = v;
                }
            }
        }
        double perState = mw > 0 ? 1 : 0;
        // the covariance groups: tied type is one group of all states; else tie groups and single states
        List<int[]> covGroups = new ArrayList<>();
        if (type == CovarianceType.TIED) {
            int[] all = new int[k];
            for (int r = 0; r < k; r++) {
                all[r] = r;
            }
            if (!fixedCovariance[0]) {
                covGroups.add(all);
            }
        } else {
            for (int r = 0; r < k; r++) {
                if (fixedCovariance[r]) {
                    continue;
                }
                if (group[r] < 0) {
                    covGroups.add(new int[] {r});
                } else if (firstOfGroup(r)) {
                    covGroups.add(members(group[r]));
                }
            }
        }
        boolean prior = covarianceScale != null;
        for (int[] members : covGroups) {
            double lo = s.covarianceFloor();
            double hi = Double.POSITIVE_INFINITY;
            double weight = 0;
            double data = 0;
            double[] sum = new double[d * d];
            for (int r : members) {
                lo = Math.max(lo, lower[r]);
                hi = Math.min(hi, upper[r]);
                data += n[r];
                weight += type == CovarianceType.SPHERICAL ? d * (n[r] + perState) : n[r] + perState;
                for (int i = 0; i < d * d; i++) {
                    sum[i] += w[r][i];
                }
            }
            hi = Math.max(hi, lo);
            if (!(data > 0) && !prior) {
                hold(members, next, type, d, lo, hi);   // no responsibility and no prior: keep the covariance
                continue;
            }
            switch (type) {
                case FULL, TIED -> {
                    if (prior) {
                        weight += degreesOfFreedom + d + 1;
                        for (int i = 0; i < d * d; i++) {
                            sum[i] += covarianceScale[i];
                        }
                    }
                    if (!(weight > 0)) {
                        hold(members, next, type, d, lo, hi);
                        continue;
                    }
                    for (int i = 0; i < d * d; i++) {
                        sum[i] /= weight;
                    }
                    double[] c = clip(sum, d, lo, hi);
                    if (c == null) {
                        hold(members, next, type, d, lo, hi);
                        continue;
                    }
                    for (int r : members) {
                        System.arraycopy(c, 0, next, type == CovarianceType.TIED ? 0 : r * d * d, d * d);
                    }
                }
                case DIAGONAL -> {
                    if (prior) {
                        weight += degreesOfFreedom + 2;
                    }
                    for (int j = 0; j < d; j++) {
                        double v = (sum[j * d + j] + (prior ? covarianceScale[j] : 0)) / weight;
                        if (!(weight > 0) || !Double.isFinite(v)) {
                            v = next[members[0] * d + j];   // nothing to learn from: the first member's variance
                        }
                        v = Math.min(Math.max(v, lo), hi);
                        for (int r : members) {
                            next[r * d + j] = v;
                        }
                    }
                }
                case SPHERICAL -> {
                    double trace = 0;
                    for (int j = 0; j < d; j++) {
                        trace += sum[j * d + j];
                    }
                    if (prior) {
                        weight += degreesOfFreedom + 2;
                        trace += covarianceScale[0];
                    }
                    double v = trace / weight;
                    if (!(weight > 0) || !Double.isFinite(v)) {
                        v = next[members[0]];   // nothing to learn from: the first member's variance
                    }
                    v = Math.min(Math.max(v, lo), hi);
                    for (int r : members) {
                        next[r] = v;
                    }
                }
            }
        }
        return new GaussianEmission(k, d, type, nextMeans, next);
    }

    /**
     * A covariance group with nothing to learn from keeps its first member's covariance, held to the group's
     * bounds, so tied states stay equal and bounded ones inside their bounds even then (a start need not
     * satisfy the ties and bounds).
     */
    private static void hold(int[] members, double[] next, CovarianceType type, int d, double lo, double hi) {
        int first = members[0];
        switch (type) {
            case FULL, TIED -> {
                int from = type == CovarianceType.TIED ? 0 : first * d * d;
                double[] c = clip(java.util.Arrays.copyOfRange(next, from, from + d * d), d, lo, hi);
                if (c == null) {
                    return;
                }
                for (int r : members) {
                    System.arraycopy(c, 0, next, type == CovarianceType.TIED ? 0 : r * d * d, d * d);
                }
            }
            case DIAGONAL -> {
                for (int j = 0; j < d; j++) {
                    double v = Math.min(Math.max(next[first * d + j], lo), hi);
                    for (int r : members) {
                        next[r * d + j] = v;
                    }
                }
            }
            case SPHERICAL -> {
                double v = Math.min(Math.max(next[first], lo), hi);
                for (int r : members) {
                    next[r] = v;
                }
            }
        }
    }

    private boolean firstOfGroup(int r) {
        for (int q = 0; q < r; q++) {
            if (group[q] == group[r]) {
                return false;
            }
        }
        return true;
    }

    private int[] members(int g) {
        return java.util.stream.IntStream.range(0, states).filter(q -> group[q] == g).toArray();
    }

    /**
     * The symmetric matrix nearest to {@code s} with eigenvalues in [lo, hi]: V clip(Λ) Vᵀ, the maximiser of the
     * Gaussian likelihood over such covariances; null when s is not finite.
     */
    static double[] clip(double[] s, int d, double lo, double hi) {
        return GaussianComponents.clipCovariance(s, d, lo, hi);
    }

    // ----------------------------------------------------------------------------------------------
    // counting

    /**
     * The free parameters for AIC and BIC: fixed ones and structural zeros do not count, a tie group counts
     * once, and a probability row with some entries held has one free parameter fewer than free entries.
     */
    int parameterCount(EmissionModel e) {
        int k = states;
        int n = freeInRow(0, k, fixedInitial, initialSupport);
        for (int i = 0; i < k; i++) {
            n += freeInRow(i * k, k, fixedTransition, transitionSupport);
        }
        if (e instanceof GaussianEmission g) {
            int d = g.dimension();
            for (int r = 0; r < k; r++) {
                n += fixedMean[r] ? 0 : d;
            }
            int block = switch (g.covarianceType()) {
                case FULL, TIED -> d * (d + 1) / 2;
                case DIAGONAL -> d;
                case SPHERICAL -> 1;
            };
            if (g.covarianceType() == CovarianceType.TIED) {
                n += fixedCovariance[0] ? 0 : block;
            } else {
                for (int r = 0; r < k; r++) {
                    n += fixedCovariance[r] || (group[r] >= 0 && !firstOfGroup(r)) ? 0 : block;
                }
            }
        } else if (e instanceof PoissonEmission p) {
            int d = p.dimension();
            for (int r = 0; r < k; r++) {
                for (int j = 0; j < d; j++) {
                    n += fixedRate[r * d + j] || (group[r] >= 0 && !firstOfGroup(r)) ? 0 : 1;
                }
            }
        } else if (e instanceof CategoricalEmission c) {
            int m = c.symbolCount();
            for (int r = 0; r < k; r++) {
                n += group[r] >= 0 && !firstOfGroup(r) ? 0 : freeInRow(r * m, m, fixedSymbol, null);
            }
        } else {
            n += e.parameterCount();
        }
        return n;
    }

    private static int freeInRow(int offset, int n, boolean[] fixed, boolean[] support) {
        int free = 0;
        for (int j = 0; j < n; j++) {
            free += isHeld(offset + j, fixed, support) ? 0 : 1;
        }
        return Math.max(0, free - 1);
    }

    // ----------------------------------------------------------------------------------------------
    // the log-prior

    /** log p(θ) of the model's parameters under the prior (normalised densities); 0 without a prior. */
    double logPrior(double[] initial, double[] transition, EmissionModel emission) {
        if (priorJson == null) {
            return 0;
        }
        double lp = 0;
        int k = states;
        if (initialAlpha != null) {
            lp += dirichlet(initial, 0, k, initialAlpha, initialSupport);
        }
        if (transitionAlpha != null) {
            for (int i = 0; i < k; i++) {
                lp += dirichlet(transition, i * k, k, transitionAlpha, transitionSupport);
            }
        }
        if (emission instanceof CategoricalEmission c && symbolAlpha != null) {
            int m = c.symbolCount();
            for (int r = 0; r < k; r++) {
                if (group[r] < 0 || firstOfGroup(r)) {
                    lp += dirichlet(c.probabilitiesArray(), r * m, m, symbolAlpha, null);
                }
            }
        } else if (emission instanceof PoissonEmission p && !Double.isNaN(rateShape)) {
            int d = p.dimension();
            double[] rates = p.ratesArray();
            double norm = rateRate > 0 ? rateShape * Math.log(rateRate) - SpecialFunctions.logGamma(rateShape) : 0;
            for (int r = 0; r < k; r++) {
                if (group[r] >= 0 && !firstOfGroup(r)) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    double x = rates[r * d + j];
                    lp += norm + (rateShape - 1) * Math.log(x) - rateRate * x;
                }
            }
        } else if (emission instanceof GaussianEmission g) {
            lp += gaussianLogPrior(g);
        } else if (emission instanceof GaussianMixtureEmission g && weightAlpha != 1) {
            int c = g.componentCount();
            double[] w = new double[c];
            double[] alpha = filled(c, weightAlpha);
            for (int r = 0; r < k; r++) {
                for (int j = 0; j < c; j++) {
                    w[j] = g.weight(r, j);
                }
                lp += dirichlet(w, 0, c, alpha, null);
            }
        }
        return lp;
    }

    private static double dirichlet(double[] p, int offset, int n, double[] alpha, boolean[] support) {
        double sumAlpha = 0;
        double out = 0;
        for (int j = 0; j < n; j++) {
            int i = offset + j;
            if (support != null && !support[i]) {
                continue;
            }
            sumAlpha += alpha[i];
            out -= SpecialFunctions.logGamma(alpha[i]);
            if (alpha[i] != 1) {
                out += (alpha[i] - 1) * Math.log(p[i]);
            }
        }
        return out + SpecialFunctions.logGamma(sumAlpha);
    }

    private double gaussianLogPrior(GaussianEmission g) {
        int k = states;
        int d = g.dimension();
        CovarianceType type = g.covarianceType();
        double[] means = g.meansArray();
        double[] cov = g.covarianceArray();
        double lp = 0;
        double mw = meanPrior == null ? 0 : meanWeight;
        for (int r = 0; r < k; r++) {
            double[] sigma = covarianceOf(type, cov, r, d);
            if (mw > 0) {
                // log N(μ | μ0, Σ/κ0)
                double[] lower = new double[d * d];
                Cholesky.factor(sigma, d, lower);
                double[] z = new double[d];
                for (int j = 0; j < d; j++) {
                    z[j] = means[r * d + j] - meanPrior[r * d + j];
                }
                Cholesky.solveLower(lower, d, z);
                double q = 0;
                for (double v : z) {
                    q += v * v;
                }
                lp += -0.5 * d * SpecialFunctions.LOG_2PI + 0.5 * d * Math.log(mw) - 0.5 * Cholesky.logDeterminant(lower, d)
                        - 0.5 * mw * q;
            }
        }
        if (covarianceScale == null) {
            return lp;
        }
        double nu = degreesOfFreedom;
        for (int r = 0; r < k; r++) {
            boolean counted = type == CovarianceType.TIED ? r == 0 : group[r] < 0 || firstOfGroup(r);
            if (!counted) {
                continue;
            }
            switch (type) {
                case FULL, TIED -> lp += ConjugateDensities.logInverseWishart(covarianceOf(type, cov, r, d), covarianceScale, nu, d);
                case DIAGONAL -> {
                    for (int j = 0; j < d; j++) {
                        lp += ConjugateDensities.logInverseGamma(cov[r * d + j], nu / 2, covarianceScale[j] / 2);
                    }
                }
                case SPHERICAL -> lp += ConjugateDensities.logInverseGamma(cov[r], nu / 2, covarianceScale[0] / 2);
            }
        }
        return lp;
    }

    private static double[] covarianceOf(CovarianceType type, double[] cov, int r, int d) {
        double[] out = new double[d * d];
        switch (type) {
            case FULL -> System.arraycopy(cov, r * d * d, out, 0, d * d);
            case TIED -> System.arraycopy(cov, 0, out, 0, d * d);
            case DIAGONAL -> {
                for (int j = 0; j < d; j++) {
                    out[j * d + j] = cov[r * d + j];
                }
            }
            case SPHERICAL -> {
                for (int j = 0; j < d; j++) {
                    out[j * d + j] = cov[r];
                }
            }
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------
    // restarts

    /**
     * {@code drawn} made to keep the control: structural zeros back to 0 (rows renormalised), fixed parameters
     * back to the values of {@code reference}, tied ones to the first member's value and bounded ones clipped.
     */
    HiddenMarkovModel enforce(HiddenMarkovModel drawn, HiddenMarkovModel reference) {
        int k = states;
        double[] initial = drawn.initialArray().clone();
        double[] transition = drawn.transitionArray().clone();
        hold(initial, 0, k, fixedInitial, initialSupport, reference.initialArray());
        for (int i = 0; i < k; i++) {
            hold(transition, i * k, k, fixedTransition, transitionSupport, reference.transitionArray());
        }
        EmissionModel e = drawn.emissionModel();
        EmissionModel ref = reference.emissionModel();
        if (e instanceof GaussianEmission g && ref instanceof GaussianEmission gr) {
            int d = g.dimension();
            double[] means = g.meansArray().clone();
            double[] cov = g.covarianceArray().clone();
            int block = cov.length / (g.covarianceType() == CovarianceType.TIED ? 1 : k);
            for (int r = 0; r < k; r++) {
                if (fixedMean[r]) {
                    System.arraycopy(gr.meansArray(), r * d, means, r * d, d);
                }
                int from = g.covarianceType() == CovarianceType.TIED ? 0 : r * block;
                if (fixedCovariance[r]) {
                    System.arraycopy(gr.covarianceArray(), from, cov, from, block);
                } else if (group[r] >= 0) {
                    int first = members(group[r])[0];
                    System.arraycopy(cov, first * block, cov, from, block);
                }
            }
            e = new GaussianEmission(k, d, g.covarianceType(), means, cov);
        } else if (e instanceof PoissonEmission p && ref instanceof PoissonEmission pr) {
            int d = p.dimension();
            double[] rates = p.ratesArray().clone();
            for (int r = 0; r < k; r++) {
                for (int j = 0; j < d; j++) {
                    int i = r * d + j;
                    if (fixedRate[i]) {
                        rates[i] = pr.ratesArray()[i];
                    } else {
                        int src = group[r] >= 0 ? members(group[r])[0] * d + j : i;
                        rates[i] = Math.min(Math.max(rates[src], lower[i]), Math.max(upper[i], lower[i]));
                    }
                }
            }
            e = new PoissonEmission(k, d, rates);
        } else if (e instanceof CategoricalEmission c && ref instanceof CategoricalEmission cr) {
            int m = c.symbolCount();
            double[] p = c.probabilitiesArray().clone();
            for (int r = 0; r < k; r++) {
                if (group[r] >= 0) {
                    System.arraycopy(p, members(group[r])[0] * m, p, r * m, m);
                }
                hold(p, r * m, m, fixedSymbol, null, cr.probabilitiesArray());
            }
            e = new CategoricalEmission(k, m, c.namesList(), p);
        }
        return HiddenMarkovModel.trusted(drawn.names(), initial, transition, e, this);
    }

    // held entries of a row back to the reference, the free ones rescaled to fill the rest
    private static void hold(double[] row, int offset, int n, boolean[] fixed, boolean[] support, double[] reference) {
        double held = 0;
        double free = 0;
        for (int j = 0; j < n; j++) {
            int i = offset + j;
            if (isHeld(i, fixed, support)) {
                row[i] = reference[i];
                held += row[i];
            } else {
                free += row[i];
            }
        }
        if (free > 0) {
            for (int j = 0; j < n; j++) {
                int i = offset + j;
                if (!isHeld(i, fixed, support)) {
                    row[i] = row[i] * (1 - held) / free;
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HmmFitControl c && java.util.Objects.equals(priorJson, c.priorJson)
                && java.util.Objects.equals(fitJson, c.fitJson);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(priorJson, fitJson);
    }
}
