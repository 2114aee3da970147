package org.statespace.rnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.spec.SpecNode;
import org.statespace.spec.Suggestions;

/**
 * The {@code "fit"} block of an rnn spec: weights that gradient training holds at their values.
 *
 * <pre>{@code
 * "fit": {"fixed": ["weights.weight_hh_l0", "weights.bias_ih_l0[2]", "weights.weight_ih_l0[1][0]"]}
 * }</pre>
 *
 * <p>A path names a whole weight block by its PyTorch name, a row of a matrix block ({@code [i]}) or one entry
 * ({@code [i][j]}; {@code [i]} of a bias). The gradient entries of fixed parameters are set to 0 by the model's
 * gradient evaluator, before clipping and before the optimiser's step, so Adam's and momentum's moments stay 0 and
 * the parameters keep their values bit for bit. Read with the model, written back with the fitted spec. Immutable.
 */
final class RnnFitControl {

    private static final Pattern PATH = Pattern.compile("weights\\.([A-Za-z0-9_.]+?)((?:\\[\\d+\\])*)");

    final JsonNode fitJson;
    private final boolean[] fixed; // per parameter of the flat vector

    private RnnFitControl(JsonNode fitJson, boolean[] fixed) {
        this.fitJson = fitJson;
        this.fixed = fixed;
    }

    /** The {@code "fit"} block of {@code spec} checked against the architecture; null when the spec has none. */
    static RnnFitControl read(SpecNode spec, RnnArchitecture architecture) {
        if (!spec.has("fit")) {
            return null;
        }
        SpecNode f = spec.field("fit");
        f.requireObject("fixed");
        boolean[] fixed = new boolean[architecture.parameterCount()];
        List<String> valid = new ArrayList<>();
        for (String name : architecture.blockNames()) {
            valid.add("weights." + name);
        }
        if (f.has("fixed")) {
            for (SpecNode e : f.field("fixed").elements()) {
                String path = e.asText().trim();
                Matcher m = PATH.matcher(path);
                RnnArchitecture.Block b = m.matches() ? architecture.block(m.group(1)) : null;
                if (b == null) {
                    String base = m.matches() ? "weights." + m.group(1) : path;
                    String hint = Suggestions.nearest(base, valid).map(s -> "; the nearest valid path is \"" + s + "\"")
                            .orElse(valid.contains("weights." + path) ? "; the nearest valid path is \"weights." + path
                                    + "\"" : "; valid paths are " + String.join(", ", valid)
                                    + " (or single rows and entries such as \"" + valid.get(0) + "[0][0]\")");
                    throw e.error("\"" + path + "\" names no weight of this network" + hint);
                }
                String[] indices = m.group(2).isEmpty() ? new String[0] : m.group(2).substring(1).split("\\]\\[|\\]");
                int dims = b.vector() ? 1 : 2;
                if (indices.length > dims) {
                    throw e.error("\"" + path + "\": " + b.name() + " is " + b.shape() + ", so at most " + dims
                            + " index" + (dims == 1 ? "" : "es"));
                }
                int[] extent = {b.rows(), b.cols()};
                int[] index = new int[indices.length];
                for (int k = 0; k < indices.length; k++) {
                    index[k] = parse(indices[k]);
                    if (index[k] >= extent[k]) {
                        throw e.error("\"" + path + "\": index " + index[k] + " is out of range for " + b.name() + " of "
                                + "shape " + b.shape());
                    }
                }
                for (int r = 0; r < b.rows(); r++) {
                    for (int c = 0; c < b.cols(); c++) {
                        if ((index.length < 1 || index[0] == r) && (index.length < 2 || index[1] == c)) {
                            fixed[b.offset() + r * b.cols() + c] = true;
                        }
                    }
                }
            }
        }
        return new RnnFitControl(f.json().deepCopy(), fixed);
    }

    private static int parse(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Sets the gradient entries of the fixed parameters to 0. */
    void mask(double[] gradient) {
        for (int i = 0; i < fixed.length; i++) {
            if (fixed[i]) {
                gradient[i] = 0;
            }
        }
    }

    /** Whether parameter {@code i} of the flat vector is fixed. */
    boolean isFixed(int i) {
        return fixed[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RnnFitControl c && Objects.equals(fitJson, c.fitJson);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(fitJson);
    }
}
