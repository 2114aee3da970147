package org.statespace.nonlinear;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.DataException;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.numeric.Validate;
import org.statespace.spec.ModelType;
import org.statespace.spec.SpecNode;
import org.statespace.spec.Suggestions;

/**
 * Reads {@code "nonlinear"} specs, a {@link BuiltinModel} run by a {@link NonlinearFilter}:
 *
 * <pre>{@code
 * {"type": "nonlinear", "model": "growth", "filter": "ukf", "alpha": 1, "beta": 2, "kappa": 0,
 *  "processNoise": [[10]], "observationNoise": [[1]], "initialMean": [0], "initialCovariance": [[5]]}
 * {"type": "nonlinear", "model": "stochastic-volatility", "filter": "particle", "particles": 2000,
 *  "resampleThreshold": 0.5, "seed": 7, "parameters": {"mu": -0.5, "phi": 0.97}, "free": ["processNoise", "phi"]}
 * }</pre>
 *
 * {@code model} and {@code filter} ({@code "ekf"}, {@code "ukf"}, {@code "particle"}) are required; every
 * other field is optional and defaults to the model's (its parameters, Q, R, m0, P0; see {@link BuiltinModel})
 * or the filter's ({@link NonlinearOptions#defaults()}). The unscented options (alpha, beta, kappa) are for
 * {@code "ukf"} only, the particle options (particles, resampleThreshold, seed, smootherDraws) for
 * {@code "particle"} only. Q and R must be symmetric positive definite, P0 positive semidefinite.
 * {@code "free"} lists what maximum likelihood estimates: {@code processNoise}, {@code observationNoise}
 * and the model's parameter names (default: the two noise matrices). A template is the same object; it
 * applies to real-valued data of the model's dimension.
 */
public final class NonlinearType implements ModelType {
    private static final List<String> FILTERS = NonlinearFields.FILTERS;

    @Override
    public List<String> names() {
        return List.of(NonlinearModel.TYPE);
    }

    @Override
    public String description() {
        return "non-linear Gaussian state-space models (growth, pendulum, stochastic-volatility, lorenz63) "
                + "run by an extended or unscented Kalman filter or a particle filter";
    }

    @Override
    public Declarations declarations() {
        return new Declarations(NonlinearFields.SPEC, NonlinearFields.SPEC, null);
    }

    /** The same start for data not in memory: it reads only their shape. */
    @Override
    public java.util.Optional<org.statespace.StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            java.util.function.Function<org.statespace.StateSpaceModel<?, ?>, org.statespace.data.ObservedRows> rows,
            RandomGenerator random) {
        return java.util.Optional.of(template(template, shape, random));
    }

    @Override
    public NonlinearModel template(SpecNode template, Dataset data, RandomGenerator random) {
        NonlinearModel model = read(template);
        int m = model.system().observationDimension();
        if (data.kind() == ObservationKind.SYMBOLS) {
            throw new DataException("a nonlinear model needs real values; the data are symbols");
        }
        if (data.dimension() != m) {
            throw new DataException("the " + (model.builtinModel() == null ? "neural" : model.builtinModel().jsonName())
                    + " model observes " + m
                    + " component(s); the data have dimension " + data.dimension());
        }
        return model;
    }

    @Override
    public NonlinearModel read(SpecNode spec) {
        spec.requireObject(NonlinearFields.SPEC);
        boolean neural = spec.has("transition") || spec.has("observation");
        if (neural && spec.has("model")) {
            throw spec.errorAt("model", "a model is built in (\"model\") or neural (\"transition\" and \"observation\"), "
                    + "not both");
        }
        if (!neural && !spec.has("model")) {
            throw spec.error("needs \"model\" (a built-in model: " + String.join(", ", BuiltinModel.names())
                    + ") or \"transition\" and \"observation\" (neural f and h)");
        }
        SpecNode filterNode = spec.field("filter");
        String filterName = filterNode.asText();
        if (!FILTERS.contains(filterName)) {
            throw filterNode.error("no non-linear filter \"" + filterName + "\"; "
                    + Suggestions.didYouMean(filterName, FILTERS) + "the filters are " + String.join(", ", FILTERS));
        }
        NonlinearFilter filter = NonlinearFilter.ofName(filterName);
        BuiltinModel builtin = null;
        double[] values = new double[0];
        List<String> parameterNames = new ArrayList<>();
        NonlinearSystem system;
        String name;
        int n;
        if (neural) {
            name = "neural";
            for (String part : List.of("transition", "observation")) {
                if (!spec.has(part)) {
                    throw spec.error("a neural model needs both \"transition\" (f) and \"observation\" (h); \"" + part
                            + "\" is missing");
                }
            }
            if (spec.has("parameters")) {
                throw spec.errorAt("parameters", "a neural model has no named parameters (its weights are in \"transition\" "
                        + "and \"observation\")");
            }
            SpecNode fNode = spec.field("transition");
            DifferentiableFunction f;
            int fInputs;
            String fType = fNode.field("type").asText();
            if (CellFunction.TYPES.contains(fType)) {
                CellFunction cell = CellFunction.read(fNode);
                f = cell;
                fInputs = cell.inputCount();
            } else if (fType.equals(Mlp.TYPE)) {
                Mlp mlp = Mlp.read(fNode, -1, -1);
                f = mlp;
                fInputs = mlp.inputCount();
            } else {
                List<String> types = new ArrayList<>(List.of(Mlp.TYPE));
                types.addAll(CellFunction.TYPES);
                throw fNode.field("type").error("no neural transition \"" + fType + "\"; " + Suggestions.didYouMean(fType, types)
                        + "the transition is an " + Mlp.TYPE + " or one rnn cell: " + String.join(", ", CellFunction.TYPES));
            }
            n = f.outputDimension();
            if (fInputs < 0) {
                throw fNode.field("layers").elements().get(0).field("weight").error("has " + (n + fInputs)
                        + " columns; f gives " + n + " state components, so its first layer must read at least " + n);
            }
            SpecNode hNode = spec.field("observation");
            Mlp h = Mlp.read(hNode, n, -1);
            int p = Math.max(fInputs, h.inputCount());
            if (fInputs > 0 && h.inputCount() > 0 && fInputs != h.inputCount()) {
                throw hNode.field("layers").elements().get(0).field("weight").error("reads " + h.inputCount()
                        + " inputs after the state; the transition reads " + fInputs);
            }
            int m = h.outputDimension();
            double[][] q = covariance(spec, NonlinearModel.PROCESS_NOISE, n, true, null);
            double[][] r = covariance(spec, NonlinearModel.OBSERVATION_NOISE, m, true, null);
            int size = n;
            double[] m0 = spec.optional("initialMean").map(v -> v.asVector(size)).orElse(null);
            double[][] p0 = covariance(spec, "initialCovariance", n, false, null);
            if (m0 == null) {
                throw spec.error("a neural model needs \"initialMean\" (" + n + " numbers)");
            }
            system = NonlinearSystem.of(p, f, h, q, r, m0, p0);
        } else {
            SpecNode modelNode = spec.field("model");
            name = modelNode.asText();
            builtin = BuiltinModel.ofName(name);
            if (builtin == null) {
                throw modelNode.error("no built-in non-linear model \"" + name + "\"; "
                        + Suggestions.didYouMean(name, BuiltinModel.names()) + "built in are "
                        + String.join(", ", BuiltinModel.names()));
            }
            n = builtin.stateDimension();
            int m = builtin.observationDimension();
            values = builtin.defaultParameters();
            builtin.parameters().forEach(par -> parameterNames.add(par.name()));
            if (spec.has("parameters")) {
                SpecNode p = spec.field("parameters");
                if (parameterNames.isEmpty()) {
                    throw p.error("the " + name + " model has no parameters");
                }
                p.requireObject(parameterNames.toArray(new String[0]));
                for (int i = 0; i < values.length; i++) {
                    BuiltinModel.Parameter par = builtin.parameters().get(i);
                    if (p.has(par.name())) {
                        SpecNode v = p.field(par.name());
                        values[i] = v.asDouble();
                        if (!par.range().contains(values[i])) {
                            throw v.error("must be " + par.range().describe() + ", got " + values[i]);
                        }
                    }
                }
            }
            double[][] q = covariance(spec, NonlinearModel.PROCESS_NOISE, n, true, builtin.defaultProcessNoise());
            double[][] r = covariance(spec, NonlinearModel.OBSERVATION_NOISE, m, true, builtin.defaultObservationNoise());
            int size = n;
            double[] m0 = spec.optional("initialMean").map(v -> v.asVector(size)).orElse(builtin.defaultInitialMean());
            double[][] p0 = covariance(spec, "initialCovariance", n, false, builtin.defaultInitialCovariance());
            system = builtin.system(values, q, r, m0, p0);
        }

        NonlinearOptions o = NonlinearOptions.defaults();
        List<String> unscented = List.of("alpha", "beta", "kappa");
        List<String> particle = List.of("particles", "resampleThreshold", "seed", "smootherDraws");
        for (String f : unscented) {
            if (spec.has(f) && filter != NonlinearFilter.UNSCENTED) {
                throw spec.errorAt(f, "is an option of the unscented filter (\"filter\": \"ukf\"), not of \"" + filterName + "\"");
            }
        }
        for (String f : particle) {
            if (spec.has(f) && filter != NonlinearFilter.PARTICLE) {
                throw spec.errorAt(f, "is an option of the particle filter (\"filter\": \"particle\"), not of \"" + filterName + "\"");
            }
        }
        if (spec.has("alpha")) {
            o = o.withAlpha(spec.field("alpha").asDouble());
        }
        if (spec.has("beta")) {
            o = o.withBeta(spec.field("beta").asDouble());
        }
        if (spec.has("kappa")) {
            o = o.withKappa(spec.field("kappa").asDouble());
        }
        if (spec.has("particles")) {
            o = o.withParticles(spec.field("particles").asInt());
        }
        if (spec.has("resampleThreshold")) {
            o = o.withResampleThreshold(spec.field("resampleThreshold").asDouble());
        }
        if (spec.has("seed")) {
            o = o.withSeed(spec.field("seed").asLong());
        }
        if (spec.has("smootherDraws")) {
            o = o.withSmootherDraws(spec.field("smootherDraws").asInt());
        }
        String problem = o.problem(n);
        if (problem != null) {
            int colon = problem.indexOf(':');
            throw spec.errorAt(problem.substring(0, colon), problem.substring(colon + 2));
        }
        List<String> free = List.of(NonlinearModel.PROCESS_NOISE, NonlinearModel.OBSERVATION_NOISE);
        if (spec.has("free")) {
            SpecNode f = spec.field("free");
            List<String> allowed = new ArrayList<>(List.of(NonlinearModel.PROCESS_NOISE, NonlinearModel.OBSERVATION_NOISE));
            allowed.addAll(parameterNames);
            free = f.asDistinctTextList();
            for (int i = 0; i < free.size(); i++) {
                if (!allowed.contains(free.get(i))) {
                    throw f.elements().get(i).error("\"" + free.get(i) + "\" is not a parameter of the " + name + " model; "
                            + Suggestions.didYouMean(free.get(i), allowed) + "free parameters may be " + String.join(", ", allowed));
                }
            }
        }
        return NonlinearModel.create(builtin, values, system, filter, o, free);
    }

    private static double[][] covariance(SpecNode spec, String field, int size, boolean definite, double[][] fallback) {
        if (!spec.has(field)) {
            if (fallback == null) {
                throw spec.error("a neural model needs \"" + field + "\" (" + size + "x" + size + ")");
            }
            return fallback;
        }
        SpecNode node = spec.field(field);
        double[][] a = node.asSquareMatrix(size);
        if (definite) {
            Validate.positiveDefinite(node, a);
        } else {
            Validate.positiveSemidefinite(node, a);
        }
        return a;
    }
}
