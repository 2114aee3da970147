package org.statespace.kalman;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import org.statespace.DataException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;
import org.statespace.data.ObservationKind;
import org.statespace.numeric.Validate;
import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.ModelType;
import org.statespace.spec.Shape;
import org.statespace.spec.SpecNode;

/**
 * Reads the structural models ({@link StructuralModel}):
 *
 * <pre>{@code
 * {"type": "local-level", "observationVariance": 15099, "levelVariance": 1469.1}
 * {"type": "local-linear-trend", "observationVariance": 1, "levelVariance": 0.1, "slopeVariance": 0.01}
 * }</pre>
 *
 * Variances are finite and non-negative. Optional {@code "initialization"}: {@code "diffuse"} (the
 * default) or {@code "known"}, which needs {@code initialMean} (n) and {@code initialCovariance} (n×n,
 * symmetric positive semidefinite). Fitted by maximum likelihood over the log-variances; an optional
 * {@code "fit"} block holds variances fixed or within bounds ({@link StructuralFitControl}).
 */
public final class StructuralType implements ModelType {

    private static final java.util.Map<String, String> VARIANCE_MEANING = java.util.Map.of(
            "observationVariance", "σ²_ε, the variance of the observation noise ε_t (>= 0; 0 keeps it at 0 in fits)",
            "levelVariance", "σ²_η, the variance of the level's disturbance η_t (>= 0; 0 makes the level deterministic)",
            "slopeVariance", "σ²_ζ, the variance of the slope's disturbance ζ_t (>= 0; 0 makes the slope deterministic)");

    /** The fields of a full spec of one structural form. */
    static Fields specFields(StructuralModel.Form form) {
        List<Field> fields = new ArrayList<>();
        fields.add(Field.type(form.type(), "the model type"));
        for (String v : form.varianceNames()) {
            fields.add(Field.required(v, Shape.numberAtLeast(0), VARIANCE_MEANING.get(v)).example("1469.1"));
        }
        int n = form.stateDimension();
        fields.add(Field.optional("initialization", Shape.choice("diffuse", "known"), "how the state starts: exact "
                + "diffuse, or known with initialMean and initialCovariance").withDefault("\"diffuse\""));
        fields.add(Field.optional("initialMean", Shape.vector(), "the state's initial mean (" + n + " numbers); only "
                + "and required with \"initialization\": \"known\"").example(n == 1 ? "[1120]" : "[1120, 0]"));
        fields.add(Field.optional("initialCovariance", Shape.matrix(), "the state's initial covariance (" + n + "x" + n
                + ", symmetric positive semidefinite); only and required with \"initialization\": \"known\"")
                .example(n == 1 ? "[[1e7]]" : "[[1e7, 0], [0, 1e7]]"));
        fields.add(Field.optional("fit", Shape.any(), "what the optimiser holds: {\"fixed\": [variance names]} keeps "
                + "those variances at their values; {\"bounds\": {name: {\"lower\": l, \"upper\": u}}} keeps a variance "
                + "within [l, u] by its parametrisation (checked in full by the reader)")
                .example("{\"fixed\": [\"observationVariance\"], \"bounds\": {\"levelVariance\": {\"lower\": 1, "
                        + "\"upper\": 1e4}}}"));
        return Fields.of(form.type(), "Structural time-series model `" + form.type() + "`, fitted by maximum likelihood "
                + "over the log-variances.", fields);
    }

    @Override
    public Fields specFields(String name) {
        return specFields(StructuralModel.Form.ofType(name));
    }

    @Override
    public Fields templateSpecFields(String name) {
        return Fields.of(name + " template", "A `" + name + "` sized by univariate data (variances started from the "
                + "data's variance); no other field.", Field.type(name, "the model type"));
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (StructuralModel.Form f : StructuralModel.Form.values()) {
            names.add(f.type());
        }
        return names;
    }

    @Override
    public String description() {
        return "structural time-series models (local level, local linear trend) with exact diffuse start, fitted by maximum likelihood";
    }

    /**
     * {@code {"type": "local-level"}} (or {@code local-linear-trend}) sized by one-dimensional data: the
     * observation variance starts at half the data's variance and the state variances at a quarter of
     * the variance of its first differences; the optimiser takes it from there.
     */
    @Override
    public StructuralModel template(SpecNode template, Dataset data, RandomGenerator random) {
        return template(template, data, DataMoments.of(data));
    }

    /** The same start for data not in memory: its variances from the rows' {@link ObservedRows#moments}. */
    @Override
    public Optional<StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            Function<StateSpaceModel<?, ?>, ObservedRows> rows, RandomGenerator random) {
        StructuralModel skeleton = template(template, shape, DataMoments.unit(1));
        return Optional.of(template(template, shape, DataMoments.of(rows.apply(skeleton).moments())));
    }

    private StructuralModel template(SpecNode template, Dataset data, DataMoments m) {
        StructuralModel.Form form = StructuralModel.Form.ofType(template.field("type").asText());
        template.requireObject(templateSpecFields(form.type()));
        if (data.kind() == ObservationKind.SYMBOLS) {
            throw new DataException("a " + form.type() + " model needs real values; the data are symbols");
        }
        if (data.dimension() != 1) {
            throw new DataException("a " + form.type() + " model is univariate; the data have dimension " + data.dimension());
        }
        double[] variances = new double[form.varianceNames().size()];
        variances[0] = m.variance[0] / 2;
        for (int i = 1; i < variances.length; i++) {
            variances[i] = m.differenceVariance[0] / (4 * i);
        }
        return new StructuralModel(form, variances, null, null);
    }

    @Override
    public StructuralModel read(SpecNode spec) {
        String type = spec.field("type").asText();
        StructuralModel.Form form = StructuralModel.Form.ofType(type);
        spec.requireObject(specFields(form));
        double[] variances = new double[form.varianceNames().size()];
        for (int i = 0; i < variances.length; i++) {
            variances[i] = spec.field(form.varianceNames().get(i)).asDoubleAtLeast(0);
        }
        String init = spec.optional("initialization").map(n -> n.asChoice("diffuse", "known")).orElse("diffuse");
        int n = form.stateDimension();
        if (init.equals("diffuse")) {
            for (String field : List.of("initialMean", "initialCovariance")) {
                if (spec.has(field)) {
                    throw spec.errorAt(field, "only for \"initialization\": \"known\" (the start is exact diffuse)");
                }
            }
            return new StructuralModel(form, variances, null, null, StructuralFitControl.read(spec,
                    form.varianceNames(), variances));
        }
        double[] mean = spec.field("initialMean").asVector(n);
        SpecNode covNode = spec.field("initialCovariance");
        double[][] cov = covNode.asSquareMatrix(n);
        Validate.positiveSemidefinite(covNode, cov);
        return new StructuralModel(form, variances, mean, Validate.pack(cov), StructuralFitControl.read(spec,
                form.varianceNames(), variances));
    }
}
