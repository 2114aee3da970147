package org.statespace.fuzz;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.DataException;
import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.inference.FitConfiguration;
import org.statespace.inference.TrainOptions;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;
import org.statespace.study.StudySpec;

/**
 * Fuzzes the fit-options reader ({@link FitConfiguration}, with every family's own keys) and the study
 * reader ({@link StudySpec}, with every family's templates sized from small datasets), by tree mutations
 * of the valid documents under {@code seeds/fit-options/} and {@code seeds/studies/}.
 */
class OptionsFuzzTest {
    private static final List<JsonNode> MODELS = FuzzChecks.parsed(FuzzChecks.seeds(ModelSpecFuzzTest.class, "anySpec"));
    private static final List<JsonNode> OPTIONS = FuzzChecks.parsed(FuzzChecks.seeds("seeds/fit-options"));
    private static final List<JsonNode> STUDIES = FuzzChecks.parsed(FuzzChecks.seeds("seeds/studies"));
    private static final JsonMutator OPTION_MUTATOR = new JsonMutator(OPTIONS, TrainOptions.KEYS);
    private static final JsonMutator STUDY_MUTATOR = new JsonMutator(STUDIES, ModelSpecs.typeNames());
    private static final Dataset REALS = Dataset.of(List.of(
            Sequence.ofScalars("a", new double[] {1, 2.5, Double.NaN, 0.5, 3, 2, 2.2, 1.9, 2.4, 3.1}),
            Sequence.ofScalars("b", new double[] {0.4, 0.1, 0.9})));
    private static final Dataset SYMBOLS = Dataset.ofSymbols(List.of(
            Sequence.ofSymbols("a", new int[] {0, 1, 1, 2, -1, 0, 2, 2, 1, 0})), List.of("x", "y", "z"));


    /** Fit options (mutated) for a valid model of some type. */
    @FuzzTest(maxExecutions = 30_000, maxDuration = "60s")
    void fitOptions(FuzzedDataProvider data) {
        StateSpaceModel<?, ?> model = ModelSpecs.read(MODELS.get(data.consumeInt(0, MODELS.size() - 1)), "model.json");
        JsonNode options = OPTION_MUTATOR.mutate(OPTIONS.get(data.consumeInt(0, OPTIONS.size() - 1)), data, 4);
        FuzzChecks.loadsOrFailsCleanly(() -> FitConfiguration.read(SpecNode.root(options, "fit.json"), model,
                TrainOptions.defaults().withThreads(1)));
    }

    /**
     * A study (mutated): read it, then do what a study does before its long work: read every full spec
     * and its fit options, and size every template from a small real and a small symbolic dataset (a
     * DataException there says the family does not apply, which a study reports as a skipped pair).
     */
    @FuzzTest(maxExecutions = 30_000, maxDuration = "60s")
    void study(FuzzedDataProvider data) {
        JsonNode json = STUDY_MUTATOR.mutate(STUDIES.get(data.consumeInt(0, STUDIES.size() - 1)), data, 5);
        FuzzChecks.loadsOrFailsCleanly(() -> {
            StudySpec study = StudySpec.read(SpecNode.root(json, "study.json"), Path.of("studies"));
            RandomGenerator random = Randoms.seeded(1);
            for (StudySpec.ModelEntry m : study.models()) {
                List<StateSpaceModel<?, ?>> models = new ArrayList<>();
                if (m.init() != null) {
                    models.add(ModelSpecs.read(m.init()));
                } else {
                    for (Dataset d : List.of(REALS, SYMBOLS)) {
                        try {
                            models.add(ModelSpecs.type(m.template().field("type").asText()).template(m.template(), d, random));
                        } catch (DataException e) {
                            FuzzChecks.loadsOrFailsCleanly(() -> {
                                throw e;
                            });
                        }
                    }
                }
                for (StateSpaceModel<?, ?> model : models) {
                    if (m.fitted()) {
                        FitConfiguration.read(m.fit(), model, TrainOptions.defaults().withThreads(1));
                    }
                    Dataset d = model.observationSpace().kind() == ObservationKind.SYMBOLS ? SYMBOLS : REALS;
                    if (model.observationSpace().incompatibility(d).isEmpty() && model.observationSpace().inputDimension() == 0) {
                        Sampling.sample(model, "s", 3, null, Randoms.seeded(2));
                    }
                }
            }
        });
    }
}
