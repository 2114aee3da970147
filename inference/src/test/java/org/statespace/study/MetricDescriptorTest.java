package org.statespace.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.inference.MetricDescriptor;
import org.statespace.inference.ProperScores;

/**
 * The study's proper scores come from {@link MetricDescriptor}'s one table: their names in table order and each
 * name's value, checked against the record's own fields set here to distinct numbers.
 */
class MetricDescriptorTest {

    private static final ProperScores SCORES = new ProperScores(40, "log density", -1.25, 2.5, 0.125, 0.0625,
            new long[] {10, 10, 10, 10}, new double[] {0.5, 0.9}, new double[] {0.45, 0.875}, 9.5, 3.75);

    @Test
    void theScoreNamesAreTheTablesProperScoresWithTheStudysCoverageLevels() {
        assertThat(StudyResult.scoreNames(new double[] {0.5, 0.9})).containsExactly("meanLogScore", "crps", "brier",
                "pitDistance", "coverageAt50", "coverageAt90", "mseOfMean", "maeOfMedian");
        assertThat(StudyResult.scoreNames(new double[0])).containsExactly("meanLogScore", "crps", "brier",
                "pitDistance", "mseOfMean", "maeOfMedian");
    }

    @Test
    void eachScoreNameReadsItsOwnField() {
        StudyRow row = new StudyRow("m", "d", 1, StudyRow.OK, "", "t", "em", 1, true, "", null, null, null, SCORES,
                null);
        List<String> names = StudyResult.scoreNames(SCORES.coverageLevels());
        double[] expected = {-1.25, 2.5, 0.125, 0.0625, 0.45, 0.875, 9.5, 3.75};
        for (int i = 0; i < expected.length; i++) {
            assertThat(row.score(names.get(i))).as(names.get(i)).isEqualTo(expected[i]);
        }
        assertThatThrownBy(() -> row.score("coverageAt95")).hasMessageContaining("coverageAt95");
        assertThatThrownBy(() -> row.score("mse")).hasMessageContaining("no score named mse");
    }

    @Test
    void directionsAndChartsAreThoseTheReportStates() {
        assertThat(MetricDescriptor.MEAN_LOG_SCORE.direction()).isEqualTo(MetricDescriptor.Direction.HIGHER);
        assertThat(MetricDescriptor.CRPS.direction()).isEqualTo(MetricDescriptor.Direction.LOWER);
        assertThat(MetricDescriptor.COVERAGE_AT_95.direction()).isEqualTo(MetricDescriptor.Direction.NEITHER);
        assertThat(MetricDescriptor.BRIER.chartTitle()).isEmpty();
        assertThat(MetricDescriptor.byKey("crps")).contains(MetricDescriptor.CRPS);
        assertThat(MetricDescriptor.byKey("nothing")).isEmpty();
    }
}
