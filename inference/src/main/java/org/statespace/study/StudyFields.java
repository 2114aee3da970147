package org.statespace.study;

import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The declared fields of a study file ({@link StudySpec}): its reader checks field names against these and
 * the JSON Schema and reference page are generated from them ({@link SpecSchemas}).
 */
public final class StudyFields {
    private StudyFields() {
    }

    /** A split of every dataset into training and held-out parts. */
    public static final Fields SPLIT = Fields.of("study split", "How each dataset is split into training and "
            + "held-out data.",
            Field.optional("train", Shape.range(0, false, 1, false), "the training fraction").withDefault("0.7"),
            Field.optional("by", Shape.choice("time", "sequence"), "hold out the end of every sequence (time) or "
                    + "whole sequences").withDefault("\"time\""));

    /** One dataset entry. */
    public static final Fields DATASET = Fields.of("study dataset", "A dataset of the study: give exactly one of "
            + "`builtin` and `path`.",
            Field.optional("name", Shape.text(), "its name in results (and file names); default the built-in "
                    + "name or the file name").example("\"nile\""),
            Field.optional("builtin", Shape.text(), "a built-in dataset (`statespace datasets` lists them)")
                    .example("\"nile\""),
            Field.optional("path", Shape.text(), "a dataset file (JSON or CSV), relative to the study file")
                    .example("\"data/mine.json\""),
            Field.optional("split", Shape.object(SPLIT), "this dataset's own split")
                    .example("{\"train\": 0.8}"));

    /** One model entry. */
    public static final Fields MODEL = Fields.of("study model", "A model of the study: give exactly one of `init` "
            + "(a full spec) and `template`.",
            Field.optional("name", Shape.text(), "its name in results; default its type").example("\"hmm3\""),
            Field.optional("init", Shape.ref("model", "a model spec"), "a full model spec to start from (or to "
                    + "score as given with \"fit\": false)").example("{\"type\": \"local-level\", "
                    + "\"observationVariance\": 15099, \"levelVariance\": 1469.1}"),
            Field.optional("template", Shape.ref("template", "a model template"), "a short template sized by each "
                    + "dataset").example("{\"type\": \"hmm\", \"states\": 3, \"emission\": \"poisson\"}"),
            Field.optional("fit", Shape.anyOf(Shape.ref("fit-options", "fit options object"), Shape.bool()),
                    "fit options, or false to score a full spec as given").withDefault("{}"),
            Field.optional("datasets", Shape.textList(), "only these datasets (by name); default all")
                    .example("[\"nile\"]"));

    /** A study file. */
    public static final Fields STUDY = Fields.of("study", "A comparative study: models × datasets × seeds, scored "
            + "one step ahead on held-out data.",
            Field.optional("name", Shape.text(), "the study's name").withDefault("\"study\""),
            Field.optional("description", Shape.text(), "free text, kept in the results")
                    .example("\"Nile: structural vs HMM\""),
            Field.required("datasets", Shape.arrayOf(Shape.object(DATASET), true), "the datasets")
                    .example("[{\"builtin\": \"nile\"}]"),
            Field.optional("split", Shape.object(SPLIT), "the default split (else a built-in dataset's own "
                    + "suggestion, else 70% by time)").example("{\"train\": 0.7, \"by\": \"time\"}"),
            Field.optional("seeds", Shape.arrayOf(Shape.integer(), true), "seeds; every pair is fitted once per "
                    + "seed").withDefault("[1]"),
            Field.required("models", Shape.arrayOf(Shape.object(MODEL), true), "the models")
                    .example("[{\"template\": {\"type\": \"local-level\"}}]"),
            Field.optional("levels", Shape.arrayOf(Shape.range(0, false, 1, false), true), "central predictive "
                    + "interval levels whose coverage is counted").withDefault("[0.5, 0.8, 0.95]"),
            Field.optional("significance", Shape.range(0, false, 1, false), "level of the paired test that marks "
                    + "a best model").withDefault("0.05"),
            Field.optional("burn", Shape.integer(0, Integer.MAX_VALUE), "first held-out steps left out of every "
                    + "score").withDefault("0"));
}
