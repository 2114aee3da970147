package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.Sampling;
import org.statespace.capability.ClosedFormFitting;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceIndex;
import org.statespace.data.SequenceReader;
import org.statespace.markov.MarkovChain;
import org.statespace.markov.MarkovFitSettings;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;

/**
 * A Markov chain fitted in closed form over a file read by offsets ({@link SequenceIndex}: one counting pass, a long
 * sequence in chunks, then a scoring pass) against the same fit in memory, the independent reference: the trainer
 * on the dataset read from the same CSV file. The counts are integers and the scoring pass sums the same steps in the
 * same order, so the fitted spec, the log-likelihood, the trace and the learning curve (with validation data: its
 * validation loss too) are equal bit for bit, for orders 1 and 2, with missing symbols, a sequence longer than the
 * reader's chunks, one shorter than the order and one that starts with a missing symbol.
 */
class ClosedFormOverFileTest {
    @TempDir
    Path dir;

    private static final List<String> NAMES = List.of("calm", "windy", "storm");

    private static MarkovChain chain(int order) {
        int contexts = order == 1 ? 3 : 9;
        double[] initial = new double[contexts];
        java.util.Arrays.fill(initial, 1.0 / contexts);
        double[][] transition = new double[contexts][];
        for (int r = 0; r < contexts; r++) {
            transition[r] = r % 3 == 0 ? new double[] {0.7, 0.2, 0.1}
                    : r % 3 == 1 ? new double[] {0.25, 0.5, 0.25} : new double[] {0.1, 0.3, 0.6};
        }
        if (order == 2) {
            transition[4] = new double[] {0.05, 0.9, 0.05}; // windy after windy: mostly windy
        }
        return MarkovChain.of(NAMES, order, initial, transition);
    }

    // sequences of these lengths drawn from the chain, every 11th step (from 3 + i) missing, and the first step of
    // the last sequence missing; written as a CSV of symbol names (empty cell: missing)
    private Path csv(MarkovChain truth, String name, long seed, int... lengths) throws IOException {
        RandomGenerator random = Randoms.seeded(seed);
        StringBuilder csv = new StringBuilder("sequence,t,symbol\n");
        for (int i = 0; i < lengths.length; i++) {
            Sequence s = Sampling.sample(truth, "s" + i, lengths[i], null, random);
            for (int t = 0; t < lengths[i]; t++) {
                boolean missing = (t >= 3 + i && (t - 3 - i) % 11 == 0) || (i == lengths.length - 1 && t == 0);
                csv.append('s').append(i).append(',').append(t).append(',')
                        .append(missing ? "" : NAMES.get(s.symbol(t))).append('\n');
            }
        }
        return Files.writeString(dir.resolve(name), csv.toString());
    }

    private static double[] losses(FitResult r, boolean validation) {
        return r.curve().points().stream()
                .mapToDouble(p -> validation ? p.validationLoss() : p.trainingLoss()).toArray();
    }

    private void assertSameFit(MarkovChain start, Path training, Path held, FitSettings settings) {
        Dataset memory = start.observationSpace().align(Datasets.read(training), "memory");
        Dataset memoryHeld = held == null ? null : start.observationSpace().align(Datasets.read(held), "held");
        TrainOptions options = TrainOptions.defaults().withThreads(2);
        FitResult inMemory = Trainer.fit(start, memory, memoryHeld, options, settings, TrainingListener.NONE);
        DatasetCsv.Columns columns = DatasetCsv.Columns.byConvention();
        try (SequenceIndex file = SequenceIndex.build(training, start.observationSpace(), columns);
                SequenceIndex heldFile = held == null ? null : SequenceIndex.build(held, start.observationSpace(), columns)) {
            assertThat(file.length(0)).isGreaterThan(SequenceReader.DEFAULT_CHUNK_STEPS);
            FitResult overFile = Trainer.fit(start, file, heldFile, options, settings, TrainingListener.NONE);
            String where = "order " + start.order();
            assertThat(overFile.method()).as(where).isEqualTo(TrainOptions.Method.CLOSED_FORM);
            assertThat(Json.write(overFile.model().toSpec())).as(where).isEqualTo(Json.write(inMemory.model().toSpec()));
            assertThat(overFile.model()).as(where).isNotEqualTo(start); // the fit moved
            assertThat(overFile.logLikelihood()).as(where).isEqualTo(inMemory.logLikelihood());
            assertThat(overFile.logLikelihoodTrace()).as(where).containsExactly(inMemory.logLikelihoodTrace());
            assertThat(losses(overFile, false)).as(where).containsExactly(losses(inMemory, false));
            assertThat(losses(overFile, true)).as(where).containsExactly(losses(inMemory, true));
            assertThat(overFile.observations()).as(where).isEqualTo(inMemory.observations());
        }
    }

    @Test
    void anOrderOneChainIsTheInMemoryFitBitForBit() throws IOException {
        MarkovChain start = chain(1);
        Path training = csv(start, "order1.csv", 3, SequenceReader.DEFAULT_CHUNK_STEPS + 3000, 30, 1, 9);
        assertSameFit(start, training, null, FitSettings.NONE);
    }

    @Test
    void anOrderTwoChainWithPseudoCountsAndValidationDataIsTheInMemoryFitBitForBit() throws IOException {
        MarkovChain start = chain(2);
        Path training = csv(start, "order2.csv", 5, SequenceReader.DEFAULT_CHUNK_STEPS + 3000, 2, 1, 40);
        Path held = csv(start, "held.csv", 6, 200, 50);
        assertSameFit(start, training, held, MarkovFitSettings.defaults().withPseudoCount(0.5));
    }

    @Test
    void countsAddedChunkByChunkAreTheCountsOfWholeSequences() throws IOException {
        // chunks of 50 steps (many chunk boundaries, each with history before it) against sequences added whole
        for (int order = 1; order <= 2; order++) {
            MarkovChain start = chain(order);
            Path data = csv(start, "chunks" + order + ".csv", 7 + order, 1234, 49, 50, 51, 1);
            Dataset memory = start.observationSpace().align(Datasets.read(data), "memory");
            ClosedFormFitting.Counts counts = start.newCounts(FitSettings.NONE);
            int sequences = 0;
            try (SequenceReader reader = SequenceReader.open(data, start.observationSpace(),
                    DatasetCsv.Columns.byConvention(), 50)) {
                while (reader.nextSequence()) {
                    int from = 0;
                    for (Sequence chunk = reader.nextChunk(); chunk != null; chunk = reader.nextChunk()) {
                        counts.add(chunk, from);
                        from = chunk.length();
                    }
                    sequences++;
                }
            }
            assertThat(sequences).isEqualTo(5);
            MarkovChain whole = start.fitClosedForm(memory, FitSettings.NONE);
            assertThat(counts.fitted()).as("order " + order).isEqualTo(whole);
            assertThat(whole).isNotEqualTo(start);
        }
    }
}
