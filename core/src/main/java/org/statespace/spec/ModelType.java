package org.statespace.spec;

import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;

/**
 * A family's entry in the spec registry. Families register implementations in
 * {@code META-INF/services/org.statespace.spec.ModelType}; the core finds them with
 * {@link java.util.ServiceLoader} and never names a family.
 */
public interface ModelType {

    /** The {@code "type"} values this entry reads, e.g. {@code ["markov-chain"]}. */
    List<String> names();

    /** A one-line description for {@code --help} and listings. */
    String description();

    /**
     * Reads a model from its spec. {@code spec} is the whole object including {@code "type"}; unknown
     * fields, wrong shapes and invalid values are {@link org.statespace.SpecException}s at their path.
     */
    StateSpaceModel<?, ?> read(SpecNode spec);

    /**
     * Reads the family-specific part of fit options (the keys the trainer does not handle itself, such
     * as pseudo-counts or which parameters to hold fixed). {@code options} holds only those keys; an
     * unknown one is an error. The default accepts none.
     */
    default FitSettings readFitSettings(SpecNode options) {
        options.requireObject();
        return FitSettings.NONE;
    }

    /**
     * Builds a starting model from a short template sized by the data it will be fitted to, so one
     * entry of a comparative study applies to datasets of different shapes: e.g.
     * {@code {"type": "hmm", "states": 3, "emission": "gaussian"}} or
     * {@code {"type": "rnn", "cell": "gru", "hiddenSize": 16}}. {@code template} includes its
     * {@code "type"}; unknown fields are errors. The default has no templates.
     *
     * @param data   the training data (its kind, dimension, alphabet and inputs size the model)
     * @param random for any random part of the start (seeded by the study)
     * @throws org.statespace.SpecException for a malformed template
     * @throws org.statespace.DataException when the family does not apply to such data (a study reports
     *                                      the pair as skipped, with the message as the reason)
     */
    default StateSpaceModel<?, ?> template(SpecNode template, Dataset data, RandomGenerator random) {
        throw template.error("a " + names().get(0) + " model has no template; give a full spec under \"init\"");
    }

    /** The fields a template of this type accepts besides "type" (for help texts); empty when none. */
    default List<String> templateFields() {
        return List.of();
    }

    /** The family-specific fit keys {@link #readFitSettings} understands (for error messages and help). */
    default List<String> fitSettingNames() {
        return List.of();
    }

    /**
     * The fit options a template carries for the fit that follows it, as keys of {@link #readFitSettings}, each
     * used where the fit options do not give that key: e.g. a Markov chain template's additive smoothing
     * ({@code "pseudoCount"}), so that a template scores held-out data sensibly without a fit block. Reads and
     * checks only those fields of {@code template} (a malformed one is a {@link org.statespace.SpecException}
     * at its path). The default carries none.
     */
    default com.fasterxml.jackson.databind.node.ObjectNode templateFitOptions(SpecNode template) {
        return Json.object();
    }
}
