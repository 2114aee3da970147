package org.statespace.inference.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;
import org.statespace.inference.FilterResult;
import org.statespace.inference.SequenceTrace;
import org.statespace.spec.Json;
import org.statespace.study.ResultFields;

/**
 * A filter run over a dataset, as {@code statespace filter} writes it: the total log-likelihood and, per
 * sequence, the log-density of every observation under its one-step predictive distribution, optionally the
 * predictive summaries of every step and the model's filtered state tracks. Its JSON codec is
 * {@link #toJson()} / {@link #fromJson}; the fields are {@link ResultFields#FILTER}.
 *
 * @param states            the hidden states' names when the tracks hold state probabilities, else empty
 * @param symbols           the symbols' names when the summaries hold symbol probabilities, else empty
 * @param logLikelihood     Σ over sequences
 * @param observations      observed steps
 * @param meanLogLikelihood the log-likelihood per observed step
 * @param sequences         one run per sequence, in dataset order
 * @param provenance        how the file was made (a free-form object; copied)
 */
public record FilterReport(List<String> states, List<String> symbols, double logLikelihood, long observations,
        double meanLogLikelihood, List<Run> sequences, ObjectNode provenance) implements ResultValue {

    /** The value of the {@code "result"} marker. */
    public static final String KIND = "filter";

    private static final Set<String> DECLARED = Set.of("id", "logLikelihood", "predictiveLogDensities",
            "predictiveMeans", "predictiveVariances", "lower50", "upper50", "lower90", "upper90",
            "predictiveProbabilities");

    public FilterReport {
        states = List.copyOf(states);
        symbols = List.copyOf(symbols);
        sequences = List.copyOf(sequences);
        provenance = provenance.deepCopy();
    }

    /**
     * One sequence's run.
     *
     * @param id                     the sequence's id
     * @param logLikelihood          Σ_t log p(o_t | past)
     * @param predictiveLogDensities log p(o_t | past) per step, NaN for a missing observation (shape [])
     * @param bands                  with summaries: the predictive mean, variance and intervals of every step
     * @param probabilities          with summaries, for symbols: p(o_t = k | past), shape [M]
     * @param tracks                 with states: the model's filtered tracks ({@code filteredProbabilities}, ...)
     */
    public record Run(String id, double logLikelihood, Track predictiveLogDensities, Optional<PredictiveBands> bands,
            Optional<Track> probabilities, List<Track> tracks) {
        public Run {
            tracks = List.copyOf(tracks);
        }

        /** T: the length of the log-densities (of the first track when a file holds none). */
        public int length() {
            return predictiveLogDensities.length() > 0 || tracks.isEmpty() ? predictiveLogDensities.length()
                    : tracks.get(0).length();
        }

        /** The track of this name, if the run has it. */
        public Optional<Track> track(String name) {
            return tracks.stream().filter(t -> t.name().equals(name)).findFirst();
        }

        /**
         * Steps {@code from} (inclusive) to {@code to} (exclusive) of every track of this run; the log-likelihood
         * stays the whole run's.
         */
        public Run steps(int from, int to) {
            if (!(from >= 0 && from <= to && to <= length())) {
                throw new IllegalArgumentException("steps " + from + ".." + to + " of a run of " + length());
            }
            return new Run(id, logLikelihood, StepArrays.steps(predictiveLogDensities, from, to),
                    bands.map(b -> b.steps(from, to)), probabilities.map(p -> StepArrays.steps(p, from, to)),
                    tracks.stream().map(t -> StepArrays.steps(t, from, to)).toList());
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * The report of an engine run: its traces (with their predictive summaries when the run kept them) and,
     * when the run kept state estimates, their tracks.
     *
     * @param states     the names of the model's hidden states (written when the tracks are kept), or empty
     * @param symbols    the names of the model's symbols (written when summaries with probabilities are kept), or empty
     * @param provenance how the file was made
     */
    public static FilterReport of(FilterResult result, List<String> states, List<String> symbols, ObjectNode provenance) {
        List<Run> runs = new ArrayList<>();
        for (SequenceTrace trace : result.sequences()) {
            runs.add(run(trace));
        }
        return new FilterReport(states, symbols, result.logLikelihood(), result.observedSteps(),
                result.meanLogLikelihood(), runs, provenance);
    }

    /** One sequence's run from its trace, for a writer that goes one sequence at a time. */
    public static Run run(SequenceTrace trace) {
        int length = trace.length();
        double[] ld = new double[length];
        for (int t = 0; t < length; t++) {
            ld[t] = trace.observed(t) ? trace.logDensity(t) : Double.NaN;
        }
        Optional<PredictiveBands> bands = Optional.empty();
        Optional<Track> probabilities = Optional.empty();
        if (trace.hasSummaries()) {
            int d = trace.dimension();
            double[][] v = new double[6][length * d];
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < d; j++) {
                    int i = t * d + j;
                    v[0][i] = trace.mean(t, j);
                    v[1][i] = trace.variance(t, j);
                    double[] i50 = trace.interval(t, j, 0.5);
                    double[] i90 = trace.interval(t, j, 0.9);
                    v[2][i] = i50[0];
                    v[3][i] = i50[1];
                    v[4][i] = i90[0];
                    v[5][i] = i90[1];
                }
            }
            Track[] t6 = new Track[6];
            for (int c = 0; c < 6; c++) {
                t6[c] = new Track(PredictiveBands.FILTER_FIELDS[c], length, new int[] {d}, v[c]);
            }
            bands = Optional.of(PredictiveBands.of(t6));
            int m = trace.symbolCount();
            if (m > 0) {
                double[] p = new double[length * m];
                for (int t = 0; t < length; t++) {
                    System.arraycopy(trace.probabilities(t).orElseThrow(), 0, p, t * m, m);
                }
                probabilities = Optional.of(new Track("predictiveProbabilities", length, new int[] {m}, p));
            }
        }
        List<Track> tracks = trace.states().map(StateEstimates::tracks).orElse(List.of());
        return new Run(trace.id(), trace.logLikelihood(), new Track("predictiveLogDensities", length, new int[0], ld),
                bands, probabilities, tracks);
    }

    /**
     * Whether {@link #toJson()} writes a NaN of the model's track of this name as {@code null} (a missing value, as in
     * {@code innovations}); a NaN of any other filter track is an error. For a writer that goes one step at a time.
     */
    public static boolean writesNaNAsNull(String trackName) {
        return StepArrays.missingFor(trackName) == StepArrays.Missing.NULL;
    }

    // ------------------------------------------------------------------------------------------------ codec

    @Override
    public ObjectNode toJson() {
        ObjectNode root = StepArrays.marked(KIND);
        if (!states.isEmpty()) {
            root.set("states", StepArrays.names(states));
        }
        if (!symbols.isEmpty()) {
            root.set("symbols", StepArrays.names(symbols));
        }
        Json.optionalNumber(root, "logLikelihood", logLikelihood);
        root.put("observations", observations);
        Json.optionalNumber(root, "meanLogLikelihood", meanLogLikelihood);
        ArrayNode seqs = root.putArray("sequences");
        for (Run run : sequences) {
            seqs.add(sequenceJson(run));
        }
        root.set("provenance", provenance.deepCopy());
        return root;
    }

    /** One sequence as the file holds it (an element of {@code "sequences"}), for writing one at a time. */
    public static ObjectNode sequenceJson(Run run) {
        ObjectNode s = Json.object();
        s.put("id", run.id());
        Json.optionalNumber(s, "logLikelihood", run.logLikelihood());
        s.set("predictiveLogDensities", StepArrays.write(run.predictiveLogDensities(), StepArrays.Missing.NULL, true));
        run.bands().ifPresent(b -> {
            Track[] all = b.all();
            for (int c = 0; c < all.length; c++) {
                s.set(PredictiveBands.FILTER_FIELDS[c], StepArrays.write(all[c], StepArrays.Missing.FINITE, true));
            }
        });
        run.probabilities().ifPresent(p -> s.set("predictiveProbabilities",
                StepArrays.write(p, StepArrays.Missing.FINITE, false)));
        for (Track track : run.tracks()) {
            s.set(track.name(), StepArrays.write(track));
        }
        return s;
    }

    /**
     * Reads a filter result back; the fields are checked against {@link ResultFields#FILTER}, and every
     * error names the source and the JSON path.
     */
    public static FilterReport fromJson(JsonNode root, String source) {
        StepArrays.checkFields(root, ResultFields.FILTER, source);
        List<String> states = StepArrays.readNames(root, "states", source);
        List<Run> runs = StepArrays.readSequences(root, source, (s, where) -> readRun(s, where, states));
        JsonNode observed = root.get("observations");
        return new FilterReport(states, StepArrays.readNames(root, "symbols", source),
                StepArrays.number(root, "logLikelihood", source), observed == null ? 0 : observed.asLong(),
                StepArrays.number(root, "meanLogLikelihood", source), runs, StepArrays.provenance(root));
    }

    private static Run readRun(JsonNode s, String where, List<String> states) {
        // a hand-made file of filtered tracks alone has no log-densities: an empty track
        Track ld = s.has("predictiveLogDensities") ? StepArrays.read(s.get("predictiveLogDensities"),
                "predictiveLogDensities", false, where + ": predictiveLogDensities")
                : new Track("predictiveLogDensities", 0, new int[0], new double[0]);
        Optional<PredictiveBands> bands = Optional.empty();
        if (s.has("predictiveMeans")) {
            Track[] t6 = new Track[6];
            for (int c = 0; c < 6; c++) {
                String f = PredictiveBands.FILTER_FIELDS[c];
                t6[c] = StepArrays.read(s.get(f), f, true, where + ": " + f);
            }
            try {
                bands = Optional.of(PredictiveBands.of(t6));
            } catch (IllegalArgumentException e) {
                throw new DataException(where + ": the predictive summaries differ in length or width: " + e.getMessage());
            }
        }
        Optional<Track> probabilities = s.has("predictiveProbabilities")
                ? Optional.of(StepArrays.read(s.get("predictiveProbabilities"), "predictiveProbabilities", true,
                        where + ": predictiveProbabilities"))
                : Optional.empty();
        List<Track> tracks = new ArrayList<>();
        for (var it = s.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!DECLARED.contains(name)) {
                tracks.add(name.endsWith("Path") ? DecodeReport.pathTrack(s.get(name), name, where + ": " + name, states)
                        : StepArrays.read(s.get(name), name, false, where + ": " + name));
            }
        }
        return new Run(StepArrays.text(s, "id", where), StepArrays.number(s, "logLikelihood", where), ld, bands,
                probabilities, tracks);
    }
}
