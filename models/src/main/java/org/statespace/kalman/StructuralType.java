package org.statespace.kalman;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.DataException;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.numeric.Validate;
import org.statespace.spec.ModelType;
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
 * symmetric positive semidefinite). Fitted by maximum likelihood over the log-variances.
 */
public final class StructuralType implements ModelType {

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
        template.requireObject("type");
        StructuralModel.Form form = StructuralModel.Form.ofType(template.field("type").asText());
        if (data.kind() == ObservationKind.SYMBOLS) {
            throw new DataException("a " + form.type() + " model needs real values; the data are symbols");
        }
        if (data.dimension() != 1) {
            throw new DataException("a " + form.type() + " model is univariate; the data have dimension " + data.dimension());
        }
        DataMoments m = DataMoments.of(data);
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
        List<String> allowed = new ArrayList<>(List.of("type", "initialization", "initialMean", "initialCovariance"));
        allowed.addAll(form.varianceNames());
        spec.requireObject(allowed.toArray(new String[0]));
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
            return new StructuralModel(form, variances, null, null);
        }
        double[] mean = spec.field("initialMean").asVector(n);
        SpecNode covNode = spec.field("initialCovariance");
        double[][] cov = covNode.asSquareMatrix(n);
        Validate.positiveSemidefinite(covNode, cov);
        return new StructuralModel(form, variances, mean, Validate.pack(cov));
    }
}
