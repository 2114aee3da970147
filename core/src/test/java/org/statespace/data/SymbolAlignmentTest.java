package org.statespace.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.ObservationSpace;

/** Data meets a model's alphabet by name ({@link ObservationSpace#align}), whatever the reader and the order. */
class SymbolAlignmentTest {
    private static final ObservationSpace WEATHER = ObservationSpace.symbols(3, List.of("sunny", "cloudy", "rainy"));
    private static final ObservationSpace DICE = ObservationSpace.symbols(6, List.of("1", "2", "3", "4", "5", "6"));

    private static int[] symbols(Dataset d) {
        Sequence s = d.sequence(0);
        int[] out = new int[s.length()];
        for (int t = 0; t < out.length; t++) {
            out[t] = s.symbol(t);
        }
        return out;
    }

    @Test
    void csvNamesInFirstAppearanceOrderMapToTheModelsIndices() {
        // the CSV's own alphabet is (sunny, rainy); rainy is the model's symbol 2, not 1
        Dataset csv = DatasetCsv.parse("symbol\nsunny\nrainy\n", "w.csv");
        Dataset aligned = WEATHER.align(csv, "w.csv");
        assertThat(symbols(aligned)).containsExactly(0, 2);
        assertThat(aligned.symbolNames()).containsExactly("sunny", "cloudy", "rainy");
    }

    @Test
    void aJsonSymbolsListInAnotherOrderAndASubsetGivesTheSameData() {
        Dataset modelOrder = DatasetJson.parse("{\"symbols\": [\"sunny\", \"cloudy\", \"rainy\"],"
                + " \"sequences\": [{\"observations\": [0, 2, null, 1]}]}", "a.json");
        Dataset otherOrder = DatasetJson.parse("{\"symbols\": [\"rainy\", \"cloudy\", \"sunny\"],"
                + " \"sequences\": [{\"observations\": [2, 0, null, 1]}]}", "b.json");
        Dataset byName = DatasetJson.parse("{\"symbols\": [\"cloudy\", \"rainy\", \"sunny\"],"
                + " \"sequences\": [{\"observations\": [\"sunny\", \"rainy\", null, \"cloudy\"]}]}", "c.json");
        Dataset subset = DatasetJson.parse("{\"symbols\": [\"rainy\", \"sunny\"],"
                + " \"sequences\": [{\"observations\": [\"sunny\", \"rainy\", null, \"sunny\"]}]}", "d.json");
        Dataset expected = WEATHER.align(modelOrder, "a.json");
        assertThat(WEATHER.align(otherOrder, "b.json")).isEqualTo(expected);
        assertThat(WEATHER.align(byName, "c.json")).isEqualTo(expected);
        assertThat(symbols(WEATHER.align(subset, "d.json"))).containsExactly(0, 2, -1, 0);
    }

    @Test
    void anUnknownSymbolNamesTheSourceSequenceStepAndValue() {
        Dataset csv = DatasetCsv.parse("symbol\nsunny\nfoggy\n", "w.csv");
        assertThatThrownBy(() -> WEATHER.align(csv, "w.csv")).isInstanceOf(DataException.class)
                .hasMessage("w.csv: sequence 's1', step 1: unknown symbol \"foggy\"; the model's symbols are sunny, cloudy, rainy");
        Dataset json = DatasetJson.parse("{\"symbols\": [\"sunny\", \"snowy\"], \"sequences\": [{\"id\": \"x\","
                + " \"observations\": [\"sunny\", \"sunny\", \"snowy\"]}]}", "d.json");
        assertThatThrownBy(() -> WEATHER.align(json, "d.json")).isInstanceOf(DataException.class)
                .hasMessageContaining("d.json: sequence 'x', step 2: unknown symbol \"snowy\"");
        // a name the list declares but no observation uses is still not the model's
        Dataset unused = DatasetJson.parse("{\"symbols\": [\"sunny\", \"snowy\"], \"sequences\": [{\"observations\": [0]}]}",
                "e.json");
        assertThatThrownBy(() -> WEATHER.align(unused, "e.json")).isInstanceOf(DataException.class)
                .hasMessageContaining("e.json: symbols[1]: unknown symbol \"snowy\"");
        assertThat(WEATHER.incompatibility(unused)).isPresent();
    }

    @Test
    void bareIndicesOnlyFitAModelWithIntegerSymbols() {
        Dataset indices = DatasetJson.parse("{\"observationType\": \"symbols\", \"sequences\": [{\"observations\": [0, 2]}]}",
                "i.json");
        assertThatThrownBy(() -> WEATHER.align(indices, "i.json")).isInstanceOf(DataException.class)
                .hasMessageContaining("i.json: sequence 's1', step 0").hasMessageContaining("index 0")
                .hasMessageContaining("names its symbols");
        assertThat(ObservationSpace.symbols(3).integerSymbols()).isTrue();
        assertThat(ObservationSpace.symbols(3, List.of("0", "1", "2")).integerSymbols()).isTrue();
        assertThat(WEATHER.integerSymbols()).isFalse();
        assertThat(DICE.integerSymbols()).isFalse();
        assertThat(symbols(ObservationSpace.symbols(3).align(indices, "i.json"))).containsExactly(0, 2);
        assertThat(symbols(ObservationSpace.symbols(3, List.of("0", "1", "2")).align(indices, "i.json"))).containsExactly(0, 2);
        // the message prints an index as an integer, never 3.0
        assertThatThrownBy(() -> ObservationSpace.symbols(3).align(DatasetJson.parse(
                "{\"sequences\": [{\"observations\": [0, 3]}]}", "j.json"), "j.json"))
                .hasMessage("j.json: sequence 's1', step 1: 3 is not a symbol of the model, which emits symbols 0..2");
    }

    @Test
    void integersInACsvAreNamesToo() {
        // a die's faces are named "1".."6": the CSV's "1" is the model's symbol 0, "6" its symbol 5
        Dataset csv = DatasetCsv.parse("symbol\n6\n1\n3\n", "dice.csv");
        assertThat(csv.symbolNames()).containsExactly("0", "1", "2", "3", "4", "5", "6");
        assertThat(symbols(csv)).containsExactly(6, 1, 3);
        assertThat(symbols(DICE.align(csv, "dice.csv"))).containsExactly(5, 0, 2);
        // and a model with integer symbols reads them as indices
        assertThat(symbols(ObservationSpace.symbols(7).align(csv, "dice.csv"))).containsExactly(6, 1, 3);
        assertThatThrownBy(() -> ObservationSpace.symbols(4).align(csv, "dice.csv"))
                .hasMessageContaining("dice.csv: sequence 's1', step 0: unknown symbol \"6\"");
    }

    @Test
    void aLargeIntegerAlphabetMapsTheSymbolsItHolds() {
        // "0".."9999999" (ten million names, found in fuzzing to cost seconds when every name was looked up): the
        // symbols observed map as in a small alphabet, and the first one the model lacks is named
        Dataset csv = DatasetCsv.parse("symbol\n6\n1\n\n3\n", "a.csv");
        Dataset wide = DatasetCsv.parse("symbol\n6\n1\n\n3\n9999999\n", "b.csv");
        assertThat(wide.alphabetSize()).isEqualTo(10_000_000);
        Dataset held = Dataset.ofSymbols(List.of(wide.sequence(0).slice("s1", 0, 4)), wide.symbolNames());
        assertThat(symbols(DICE.align(held, "b.csv"))).containsExactly(symbols(DICE.align(csv, "a.csv")));
        assertThat(symbols(ObservationSpace.symbols(7).align(held, "b.csv"))).containsExactly(6, 1, -1, 3);
        assertThatThrownBy(() -> DICE.align(wide, "b.csv")).isInstanceOf(DataException.class)
                .hasMessageContaining("b.csv: sequence 's1', step 4: unknown symbol \"9999999\"");
        assertThatThrownBy(() -> ObservationSpace.symbols(7).align(wide, "b.csv")).isInstanceOf(DataException.class)
                .hasMessageContaining("b.csv: sequence 's1', step 4: unknown symbol \"9999999\"");
    }

    @Test
    void namedDataWrittenAsCsvOrJsonReadsBackToTheSameAlignedData() {
        Dataset d = Dataset.ofSymbols(List.of(Sequence.ofSymbols("a", new int[] {2, 2, -1, 0, 1}),
                Sequence.ofSymbols("b", new int[] {1, 0})), List.of("sunny", "cloudy", "rainy"));
        String json = DatasetJson.toJson(d);
        assertThat(json).contains("\"rainy\"").doesNotContain("[ 2, 2");
        Dataset fromJson = DatasetJson.parse(json, "d.json");
        Dataset fromCsv = DatasetCsv.parse(DatasetCsv.toCsv(d), "d.csv");
        assertThat(fromJson).isEqualTo(d);
        assertThat(WEATHER.align(fromCsv, "d.csv")).isEqualTo(d);
    }

    @Test
    void namedHiddenStatesRoundTripAndAlignByName() {
        Sequence s = Sequence.ofSymbols("s1", new int[] {0, 1, 1}).withStates(1, new double[] {1, 0, Double.NaN});
        Dataset d = Dataset.ofSymbols(List.of(s), List.of("sunny", "cloudy", "rainy")).withStateNames(List.of("calm", "storm"));
        String json = DatasetJson.toJson(d);
        assertThat(json).contains("\"stateNames\"").contains("\"storm\", \"calm\", null");
        assertThat(DatasetJson.parse(json, "d.json")).isEqualTo(d);
        String csv = DatasetCsv.toCsv(d);
        assertThat(csv).contains("0,sunny,storm\n");
        Dataset fromCsv = DatasetCsv.parse(csv, "d.csv");
        // the CSV names states in order of first appearance (storm, calm); the model's order decides
        assertThat(fromCsv.stateNames()).containsExactly("storm", "calm");
        assertThat(WEATHER.align(fromCsv, "d.csv").alignStates(List.of("calm", "storm"), "d.csv")).isEqualTo(d);
        assertThatThrownBy(() -> fromCsv.alignStates(List.of("calm", "gale"), "d.csv"))
                .hasMessage("d.csv: sequence 's1', step 0: unknown state \"storm\"; the model's states are calm, gale");
        // a name that looks like a number is still a name when the column holds other names
        Dataset mixed = DatasetCsv.parse("y,state\n1,3\n2,storm\n3,3\n", "m.csv");
        assertThat(mixed.stateNames()).containsExactly("3", "storm");
        assertThat(mixed.sequence(0).state(2, 0)).isZero();
        // and a column of numbers stays numbers
        Dataset numbers = DatasetCsv.parse("y,state\n1,3\n2,0.5\n3,\n", "n.csv");
        assertThat(numbers.stateNames()).isEmpty();
        assertThat(numbers.sequence(0).state(0, 0)).isEqualTo(3);
        assertThat(numbers.sequence(0).state(1, 0)).isEqualTo(0.5);
        assertThat(numbers.sequence(0).state(2, 0)).isNaN();
        assertThatThrownBy(() -> DatasetCsv.parse("y,state\n1,3\n2,NaN\n", "n.csv"))
                .hasMessageContaining("n.csv: line 3, column \"state\"").hasMessageContaining("not a finite number");
    }

    @Test
    void realSpacesIgnoreNames() {
        Dataset reals = Dataset.of(List.of(Sequence.ofScalars("r", new double[] {1.5, 2})));
        assertThat(ObservationSpace.reals(1).align(reals, "r.json")).isSameAs(reals);
        assertThatThrownBy(() -> ObservationSpace.reals(1).align(DatasetCsv.parse("symbol\na\n", "s.csv"), "s.csv"))
                .hasMessage("s.csv: the model emits real values but the data are symbols");
    }
}
