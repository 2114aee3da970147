package org.statespace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;

import org.junit.jupiter.api.Test;

import org.statespace.data.Dataset;
import org.statespace.data.DatasetJson;
import org.statespace.data.ObservationKind;

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
}
