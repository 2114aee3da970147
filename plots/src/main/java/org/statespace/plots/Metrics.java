package org.statespace.plots;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.statespace.inference.MetricDescriptor;

/**
 * The study metrics that the report's columns and the comparison charts read: for each known metric (the
 * table of {@link MetricDescriptor}) its column header, axis label, chart title (when it is charted) and
 * direction. A metric in a study's results that is not listed here still gets a column, headed by its own
 * name, after the known ones ({@link #columns}), so new scores flow through without a change here.
 *
 * @param name         the key in results.json ({@code metrics}, {@code mean}, {@code sd})
 * @param header       the table header
 * @param label        the axis label with its unit
 * @param chartTitle   the comparison chart's title, or null when the metric is not charted
 * @param higherBetter whether a higher value is better (for the opening summary); null when neither
 */
record Metrics(String name, String header, String label, String chartTitle, Boolean higherBetter) {

    /** The primary score: the opening summary ranks models by it. */
    static final String PRIMARY = MetricDescriptor.MEAN_LOG_LIKELIHOOD.key();

    /** The study's own score per dataset (log density, discretised log score or log mass), when it has one. */
    static final String STUDY_SCORE = MetricDescriptor.MEAN_LOG_SCORE.key();

    /** Known metrics, in column order: {@link MetricDescriptor}'s table. */
    static final List<Metrics> KNOWN = java.util.Arrays.stream(MetricDescriptor.values()).map(Metrics::from).toList();

    private static Metrics from(MetricDescriptor d) {
        Boolean higherBetter = switch (d.direction()) {
            case HIGHER -> true;
            case LOWER -> false;
            case NEITHER -> null;
        };
        return new Metrics(d.key(), d.header(), d.label(), d.chartTitle().orElse(null), higherBetter);
    }

    /** Older columns that a study's proper-score column says again: left out when that column is there. */
    private static final Map<String, String> SAID_AGAIN = Map.of(PRIMARY, STUDY_SCORE, "coverage50", "coverageAt50",
            "coverage90", "coverageAt95", "mse", "mseOfMean");

    /**
     * Whether an older metric is said again by a study's proper score that has a value in the view: its column
     * and its chart are left out then, so the charts show the table's scores.
     */
    static boolean saidAgainIn(String name, StudyView view) {
        String newer = SAID_AGAIN.get(name);
        return newer != null && view.metric(newer, newer).hasValues();
    }

    /** Summary fields that are not scores: shown in their own columns (or not at all), never as a score. */
    static final Set<String> NOT_SCORES = Set.of("parameters", "bic", "aic", "fitSeconds", "iterations",
            "logLikelihood", "trainLogLikelihood", "observations", "heldOutObservations", "filterSeconds",
            "logLoss"); // logLoss is minus the log score on symbols: the same column twice

    /** The known metric of that name, or a generic one headed by the name itself. */
    static Metrics of(String name) {
        for (Metrics m : KNOWN) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        return new Metrics(name, name, name, null, null);
    }

    /**
     * The score columns to show for these summary rows: the known metrics that have a value in some row, in
     * the table's order, then any other metric with a value, in the order the rows first name it.
     */
    static List<Metrics> columns(List<StudyView.SummaryRow> rows) {
        Set<String> present = new LinkedHashSet<>();
        for (StudyView.SummaryRow s : rows) {
            if (s.ok()) {
                s.mean().forEach((k, v) -> {
                    if (v != null && !v.isNaN()) {
                        present.add(k);
                    }
                });
            }
        }
        SAID_AGAIN.forEach((older, newer) -> {
            if (present.contains(newer)) {
                present.remove(older);
            }
        });
        List<Metrics> out = new ArrayList<>();
        for (Metrics m : KNOWN) {
            if (present.remove(m.name)) {
                out.add(m);
            }
        }
        for (String other : present) {
            if (!NOT_SCORES.contains(other)) {
                out.add(of(other));
            }
        }
        return out;
    }
}
