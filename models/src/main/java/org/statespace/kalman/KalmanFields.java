package org.statespace.kalman;

import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The declared fields of {@code "lgssm"} specs, templates and fit settings: the readers check field names
 * against these and the JSON Schema is generated from them ({@link org.statespace.spec.SpecSchema}).
 */
final class KalmanFields {
    private KalmanFields() {
    }

    static final Fields SPEC = Fields.of(LinearGaussianModel.TYPE, "Linear-Gaussian state-space model: x_t = F x_{t-1} "
            + "+ B u_t + c + w_t, y_t = H x_t + D u_t + d + v_t, w ~ N(0, Q), v ~ N(0, R); n states, m observed "
            + "components, p inputs.",
            Field.type(LinearGaussianModel.TYPE, "the model type"),
            Field.required("transitionMatrix", Shape.matrix(), "F, n×n").example("[[1, 1], [0, 1]]"),
            Field.optional("controlMatrix", Shape.matrix(), "B, n×p (absent: no inputs in the state equation)")
                    .example("[[0.5], [0]]"),
            Field.optional("transitionOffset", Shape.vector(), "c, n numbers (absent: 0)").example("[0, 0]"),
            Field.required("processNoise", Shape.matrix(), "Q, n×n symmetric positive semidefinite")
                    .example("[[0.1, 0], [0, 0.01]]"),
            Field.required("observationMatrix", Shape.matrix(), "H, m×n").example("[[1, 0]]"),
            Field.optional("feedthroughMatrix", Shape.matrix(), "D, m×p (absent: no inputs in the observation)")
                    .example("[[0]]"),
            Field.optional("observationOffset", Shape.vector(), "d, m numbers (absent: 0)").example("[0]"),
            Field.required("observationNoise", Shape.matrix(), "R, m×m symmetric positive semidefinite")
                    .example("[[1]]"),
            Field.optional("initialMean", Shape.vector(), "x_0's mean, n numbers; required unless diffuse (then "
                    + "default 0)").example("[0, 0]"),
            Field.optional("initialCovariance", Shape.matrix(), "x_0's covariance n×n; required unless diffuse (then "
                    + "default 0, and 0 in the diffuse states' rows and columns)").example("[[10, 0], [0, 10]]"),
            Field.optional("initialization", Shape.choice("known", "diffuse"), "known prior, or exact diffuse for "
                    + "diffuseStates").withDefault("\"known\""),
            Field.optional("diffuseStates", Shape.intVector(), "indices of the diffuse states (only with "
                    + "\"initialization\": \"diffuse\"; default all)").example("[0]"),
            Field.optional("prior", Shape.any(), "inverse-Wishart priors for MAP EM: {\"processNoise\": {\"scale\": Ψ, "
                    + "\"degreesOfFreedom\": ν}, \"observationNoise\": {...}} (checked in full by the reader)")
                    .example("{\"processNoise\": {\"scale\": [[1.0]], \"degreesOfFreedom\": 3}}"),
            Field.optional("fit", Shape.any(), "what EM holds: {\"fixed\": [paths]}, whole parameters or single "
                    + "entries of F and H (checked in full by the reader)")
                    .example("{\"fixed\": [\"transitionMatrix[0][1]\"]}"));

    static final Fields TEMPLATE = Fields.of("lgssm template", "A linear-Gaussian model sized by the data (F near I, "
            + "H near [I 0], noise from the data's variance), fitted by EM.",
            Field.type(LinearGaussianModel.TYPE, "the model type"),
            Field.optional("stateDimension", Shape.integer(1, 1000), "n; default the data's dimension m").example("2"),
            Field.optional("feedthrough", Shape.bool(), "with inputs, fit a feedthrough matrix D too")
                    .withDefault("false"));

    static final Fields FIT = Fields.of("lgssm fit settings", "EM settings of linear-Gaussian models.",
            Field.optional("fixed", Shape.arrayOf(Shape.choice(KalmanFitSettings.PARAMETER_NAMES.toArray(new String[0])),
                    false), "parameters EM holds at their starting values").example("[\"observationMatrix\"]"),
            Field.optional("diagonalProcessNoise", Shape.bool(), "keep Q diagonal").withDefault("false"),
            Field.optional("diagonalObservationNoise", Shape.bool(), "keep R diagonal").withDefault("false"));
}
