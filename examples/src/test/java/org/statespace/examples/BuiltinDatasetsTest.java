package org.statespace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.statespace.data.Dataset;
import org.statespace.data.DatasetJson;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.data.Support;
import org.statespace.study.StudySpec;

class BuiltinDatasetsTest {

    @Test
    void theSimulatedFilesAreWhatTheGeneratorWrites() throws Exception {
        for (BuiltinDataGenerator.Generated g : BuiltinDataGenerator.all()) {
            try (InputStream in = BuiltinDatasets.class.getResourceAsStream("/org/statespace/datasets/" + g.name() + ".json")) {
                assertThat(in).as(g.name()).isNotNull();
                Dataset stored = DatasetJson.read(in, g.name());
                assertThat(stored).as(g.name()).isEqualTo(g.data());
            }
        }
    }

    @Test
    void everyBuiltinLoads() {
        BuiltinDatasets b = new BuiltinDatasets();
        Dataset nile = b.builtin("nile");
        assertThat(nile.totalSteps()).isEqualTo(100);
        assertThat(nile.sequence(0).scalar(0)).isEqualTo(1120);
        // whole numbers, but flows: declared real; the lynx trappings are counts, and inferred so
        assertThat(nile.support()).isEqualTo(Support.REAL);
        assertThat(b.builtin("lynx").support()).isEqualTo(Support.COUNTS);
        assertThat(b.builtin("lakehuron").support()).isEqualTo(Support.REAL);
        assertThat(b.builtin("casino").support()).isEqualTo(Support.SYMBOLS);
        Dataset casino = b.builtin("casino");
        assertThat(casino.kind()).isEqualTo(ObservationKind.SYMBOLS);
        assertThat(casino.sequence(0).length()).isEqualTo(300);
        assertThat(casino.sequence(0).symbol(0)).isEqualTo(2); // the book's first roll is a 3
        assertThat(casino.sequence(1).hasStates()).isTrue();
        assertThat(b.builtin("tracking").inputDimension()).isEqualTo(2);
        assertThat(b.builtin("regimes").dimension()).isEqualTo(1);
        assertThat(b.builtin("logistic").size()).isEqualTo(4);
        for (String name : b.names()) {
            assertThat(b.description(name)).isNotEmpty();
        }
    }

    private static final List<String> REAL = List.of("sunspots", "co2", "usmacro", "airpassengers", "lynx", "faithful",
            "lakehuron", "austen", "seatbelts");
    private static final List<String> SYNTHETIC = List.of("nile", "casino", "regimes", "tracking", "logistic", "growth");

    private final BuiltinDatasets builtins = new BuiltinDatasets();

    private double[] series(String name, int length) {
        Dataset d = builtins.builtin(name);
        assertThat(d.kind()).as(name).isEqualTo(ObservationKind.REAL);
        assertThat(d.size()).as(name).isEqualTo(1);
        Sequence s = d.sequence(0);
        assertThat(s.id()).isEqualTo(name);
        assertThat(s.length()).as(name).isEqualTo(length);
        return s.observations();
    }

    private static double mean(double[] v, int dimension, int component) {
        double sum = 0;
        int n = 0;
        for (int i = component; i < v.length; i += dimension) {
            sum += v[i];
            n++;
        }
        return sum / n;
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElseThrow();
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElseThrow();
    }

    @Test
    void airPassengersIsBoxAndJenkinsSeriesG() {
        // Box, Jenkins & Reinsel (1976) series G as printed in R's ?AirPassengers: 144 months 1949-1960,
        // January 1949 112, December 1960 432; smallest 104 (November 1949), largest 622 (July 1960).
        double[] y = series("airpassengers", 144);
        assertThat(y[0]).isEqualTo(112);
        assertThat(y[143]).isEqualTo(432);
        assertThat(min(y)).isEqualTo(104);
        assertThat(y[10]).isEqualTo(104);
        assertThat(max(y)).isEqualTo(622);
        assertThat(y[143 - 5]).isEqualTo(622);
    }

    @Test
    void lynxIsTheMackenzieRiverSeries() {
        // Campbell & Walker (1977); R's ?lynx and summary(lynx): 114 years 1821-1934, first 269, last 3396,
        // minimum 39, maximum 6991 in 1904, mean 1538.018.
        double[] y = series("lynx", 114);
        assertThat(y[0]).isEqualTo(269);
        assertThat(y[113]).isEqualTo(3396);
        assertThat(min(y)).isEqualTo(39);
        assertThat(y[1904 - 1821]).isEqualTo(6991).isEqualTo(max(y));
        assertThat(mean(y, 1, 0)).isCloseTo(1538.018, org.assertj.core.data.Offset.offset(5e-4));
    }

    @Test
    void lakeHuronIsBrockwellAndDavisSeriesA() {
        // Brockwell & Davis (1991) series A, R's ?LakeHuron: 98 years 1875-1972, first 580.38, last 579.96,
        // mean 579.0041, highest 581.86 (1876), lowest 575.96 (1964).
        double[] y = series("lakehuron", 98);
        assertThat(y[0]).isEqualTo(580.38);
        assertThat(y[97]).isEqualTo(579.96);
        assertThat(y[1]).isEqualTo(581.86).isEqualTo(max(y));
        assertThat(y[1964 - 1875]).isEqualTo(575.96).isEqualTo(min(y));
        assertThat(mean(y, 1, 0)).isCloseTo(579.0041, org.assertj.core.data.Offset.offset(5e-5));
    }

    @Test
    void seatbeltsIsHarveyAndDurbinsSeriesWithTheLawAndThePetrolPriceAsInputs() {
        // R's ?Seatbelts: monthly 1969-01 to 1984-12 (192 months); drivers killed or seriously injured, first
        // 1687, last 1763; the law in force from 1983-02 (step 169, the last 23 months), mean 1670.307; PetrolPrice first
        // 0.1029718 (as R prints head(Seatbelts)).
        Dataset d = builtins.builtin("seatbelts");
        double[] y = series("seatbelts", 192);
        assertThat(y[0]).isEqualTo(1687);
        assertThat(y[191]).isEqualTo(1763);
        assertThat(mean(y, 1, 0)).isCloseTo(1670.307, org.assertj.core.data.Offset.offset(5e-4));
        assertThat(d.inputDimension()).isEqualTo(2);
        Sequence s = d.sequence(0);
        int lawMonths = 0;
        for (int t = 0; t < 192; t++) {
            lawMonths += (int) s.input(t, 0);
        }
        assertThat(lawMonths).isEqualTo(23);
        assertThat(s.input(168, 0)).isEqualTo(0); // 1983-01 = step (1983 - 1969) * 12
        assertThat(s.input(169, 0)).isEqualTo(1);
        assertThat(s.input(0, 1)).isCloseTo(0.1029718, org.assertj.core.data.Offset.offset(5e-8));
    }

    @Test
    void faithfulHasEruptionsAndWaitingTimes() {
        // Haerdle (1991), R's ?faithful: 272 eruptions; first row 3.600 minutes, 79 minutes' wait;
        // colMeans(faithful) = 3.487783, 70.89706 as printed in countless R tutorials.
        Dataset d = builtins.builtin("faithful");
        assertThat(d.dimension()).isEqualTo(2);
        assertThat(d.size()).isEqualTo(1);
        Sequence s = d.sequence(0);
        assertThat(s.length()).isEqualTo(272);
        assertThat(s.value(0, 0)).isEqualTo(3.6);
        assertThat(s.value(0, 1)).isEqualTo(79);
        assertThat(mean(s.observations(), 2, 0)).isCloseTo(3.487783, org.assertj.core.data.Offset.offset(5e-7));
        assertThat(mean(s.observations(), 2, 1)).isCloseTo(70.89706, org.assertj.core.data.Offset.offset(5e-6));
    }

    @Test
    void sunspotsAreTheYearlyNumbers1700To2008() {
        // statsmodels' sunspots (NOAA NGDC): 309 years 1700-2008, 5.0 in 1700, 2.9 in 2008; the largest yearly
        // number of that (version 1) series is 190.2, in 1957.
        double[] y = series("sunspots", 309);
        assertThat(y[0]).isEqualTo(5.0);
        assertThat(y[308]).isEqualTo(2.9);
        assertThat(y[1957 - 1700]).isEqualTo(190.2).isEqualTo(max(y));
    }

    @Test
    void co2KeepsTheMissingWeeksMissing() {
        // statsmodels' co2 (Keeling & Whorf 2004): weekly from 1958-03-29 to 2001-12-29, i.e. 2284 Saturdays;
        // its notes give 2225 observations, so 59 weeks are missing; first 316.1 ppmv, last 371.5.
        long weeks = java.time.temporal.ChronoUnit.WEEKS.between(java.time.LocalDate.of(1958, 3, 29),
                java.time.LocalDate.of(2001, 12, 29)) + 1;
        Dataset d = builtins.builtin("co2");
        double[] y = series("co2", (int) weeks);
        assertThat(d.observedCount()).isEqualTo(2225);
        assertThat(y[0]).isEqualTo(316.1);
        assertThat(y[y.length - 1]).isEqualTo(371.5);
        // the missing weeks are missing values, not numbers: 1958-05-10 is the first
        assertThat(d.sequence(0).isMissing(6)).isTrue();
        assertThat(d.sequence(0).isMissing(5)).isFalse();
    }

    @Test
    void usMacroIsGrowthInflationAndUnemployment() {
        // statsmodels' macrodata: realgdp 2710.349 (1959Q1) and 2778.801 (1959Q2), cpi 28.980 and 29.150,
        // unemp 5.1 in 1959Q2 and 9.6 in 2009Q3 (BLS); its infl column gives 2.34 for 1959Q2. Growth and
        // inflation are 400 ln(x_t / x_{t-1}), written to 3 decimals; 1959Q2-2009Q3 is 202 quarters.
        Dataset d = builtins.builtin("usmacro");
        assertThat(d.dimension()).isEqualTo(3);
        Sequence s = d.sequence(0);
        assertThat(s.length()).isEqualTo(4 * (2009 - 1959) + 3 - 1);
        org.assertj.core.data.Offset<Double> rounding = org.assertj.core.data.Offset.offset(5e-4 + 1e-12);
        assertThat(s.value(0, 0)).isCloseTo(400 * Math.log(2778.801 / 2710.349), rounding);
        assertThat(s.value(0, 1)).isCloseTo(400 * Math.log(29.150 / 28.980), rounding)
                .isCloseTo(2.34, org.assertj.core.data.Offset.offset(0.005));
        assertThat(s.value(0, 2)).isEqualTo(5.1);
        assertThat(s.value(s.length() - 1, 2)).isEqualTo(9.6);
    }

    @Test
    void austenIsPrideAndPrejudiceAsLetters() {
        Dataset d = builtins.builtin("austen");
        assertThat(d.kind()).isEqualTo(ObservationKind.SYMBOLS);
        List<String> alphabet = d.symbolNames();
        assertThat(alphabet).hasSize(27).startsWith("a", "b", "c").endsWith("z", "_");
        // the novel's first sentence, its own first paragraph (Project Gutenberg eBook 1342)
        assertThat(text(d, 0)).isEqualTo("it_is_a_truth_universally_acknowledged_that_a_single_man_in_possession"
                + "_of_a_good_fortune_must_be_in_want_of_a_wife");
        assertThat(text(d, 1)).startsWith("however_little_known_the_feelings");
        assertThat(d.size()).isGreaterThan(20);
        long letters = 0;
        for (int i = 0; i < d.size(); i++) {
            String p = text(d, i);
            // a space never leads, trails or doubles: runs of non-letters became one space
            assertThat(p).as("paragraph %d", i).doesNotStartWith("_").doesNotEndWith("_").doesNotContain("__");
            letters += p.length();
        }
        assertThat(letters).isBetween(3000L, 20000L);
    }

    private static String text(Dataset d, int sequence) {
        Sequence s = d.sequence(sequence);
        StringBuilder b = new StringBuilder();
        for (int t = 0; t < s.length(); t++) {
            b.append(d.symbolNames().get(s.symbol(t)));
        }
        return b.toString();
    }

    @Test
    void everyRealDatasetHasASourceAndASplitThatHoldsSomethingOut() {
        assertThat(builtins.names()).containsAll(REAL).containsAll(SYNTHETIC).hasSize(REAL.size() + SYNTHETIC.size());
        for (String name : REAL) {
            assertThat(builtins.description(name)).as(name).isNotEmpty();
            assertThat(builtins.source(name)).as(name).isNotEmpty();
            StudySpec.Split split = builtins.defaultSplit(name).orElseThrow();
            Dataset d = builtins.builtin(name);
            Dataset.Split s = split.bySequence() ? d.splitBySequence(split.train()) : d.splitInTime(split.train());
            assertThat(s.heldOut().totalSteps()).as(name).isGreaterThan(d.totalSteps() / 10);
            assertThat(s.training().totalSteps()).as(name).isGreaterThan(d.totalSteps() / 2);
        }
        for (String name : SYNTHETIC) {
            assertThat(builtins.source(name)).as(name).isNotEmpty();
            assertThat(builtins.defaultSplit(name)).as(name).isEmpty();
        }
        // AirPassengers: trained on 1949-1958, the two years 1959-1960 held out
        StudySpec.Split air = builtins.defaultSplit("airpassengers").orElseThrow();
        assertThat(Dataset.trainingSteps(144, air.train())).isEqualTo(12 * (1958 - 1949 + 1));
    }

    @Test
    void theRealDataFilesStaySmall() throws Exception {
        long bytes = 0;
        for (String file : Set.of("sunspots.csv", "co2.csv", "usmacro.csv", "airpassengers.csv", "lynx.csv",
                "faithful.csv", "lakehuron.csv", "austen.json", "seatbelts.csv")) {
            try (InputStream in = BuiltinDatasets.class.getResourceAsStream("/org/statespace/datasets/" + file)) {
                assertThat(in).as(file).isNotNull();
                bytes += in.readAllBytes().length;
            }
        }
        assertThat(bytes).isLessThan(256 * 1024);
    }
}
