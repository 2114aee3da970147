package org.statespace.spec;

import java.util.List;

import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;

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

    /** The family-specific fit keys {@link #readFitSettings} understands (for error messages and help). */
    default List<String> fitSettingNames() {
        return List.of();
    }
}
