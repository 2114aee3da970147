package org.statespace.study;

import java.util.List;

import org.statespace.data.Dataset;

/** Finds the built-in datasets a study names with {@code "builtin"}. */
public interface DatasetResolver {

    /** The dataset of that name; a {@link org.statespace.SpecException} if there is none. */
    Dataset builtin(String name);

    /**
     * The split suggested for a built-in dataset, used when the study gives none ({@link StudySpec#splitFor});
     * empty by default.
     */
    default java.util.Optional<StudySpec.Split> defaultSplit(String name) {
        return java.util.Optional.empty();
    }

    /** The names it knows. */
    List<String> names();

    /** A resolver with no built-in datasets. */
    DatasetResolver NONE = new DatasetResolver() {
        @Override
        public Dataset builtin(String name) {
            throw new org.statespace.SpecException("", "builtin", "no built-in dataset \"" + name + "\"");
        }

        @Override
        public List<String> names() {
            return List.of();
        }
    };
}
