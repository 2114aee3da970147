package org.statespace.study;

import java.util.List;

import org.statespace.data.DatasetJson;
import org.statespace.inference.TrainFields;
import org.statespace.spec.Fields;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.ModelType;
import org.statespace.spec.Shape;
import org.statespace.spec.SpecSchema;

/**
 * Every JSON Schema of the spec language in one catalog, generated from the declarations the readers use:
 * the model types and their templates ({@link ModelType#specFields}, {@link ModelType#templateSpecFields}),
 * fit options ({@link TrainFields} and every family's {@link ModelType#fitFields}), studies
 * ({@link StudyFields}), datasets ({@link DatasetJson#FIELDS}) and the result files the commands write
 * ({@link ResultFields}). {@code statespace schema} prints them and
 * {@code docs/spec-reference.md} is {@link SpecSchema#markdown} of this catalog.
 */
public final class SpecSchemas {
    private SpecSchemas() {
    }

    /** The catalog (built anew from the registered types). */
    public static SpecSchema catalog() {
        SpecSchema.Builder b = SpecSchema.builder();
        ModelSpecs.addSchemas(b);
        Fields fit = TrainFields.FIELDS;
        for (ModelType t : ModelSpecs.types()) {
            Fields family = t.fitFields();
            if (family != null) {
                fit = fit.plus(family.fields());
            }
        }
        b.define("fit-options", Shape.object(fit));
        b.kind("fit-options", "Fit options: the trainer's options below, and the family's settings (listed with "
                + "each type above). Which family settings apply depends on the model; this schema accepts those of "
                + "every family.", Shape.ref("fit-options", "fit options"), List.of(TrainFields.FIELDS));
        b.kind("study", "A study file (`statespace compare --study F.json`).", Shape.object(StudyFields.STUDY),
                List.of(StudyFields.STUDY));
        b.kind("dataset", "A dataset file in JSON (CSV files are described in the README).",
                Shape.object(DatasetJson.FIELDS), List.of(DatasetJson.FIELDS));
        for (var result : ResultFields.kinds()) {
            Fields f = result.getValue();
            b.kind(result.getKey(), f.description(), Shape.object(f), List.of(f));
        }
        b.kind("result-sample", "What `statespace sample --out D.json` writes: a dataset (see `dataset`), with the "
                + "sampled hidden states of every sequence.", Shape.object(DatasetJson.FIELDS), List.of());
        return b.build();
    }
}
