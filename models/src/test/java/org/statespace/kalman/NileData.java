package org.statespace.kalman;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.statespace.data.Sequence;

/** The Nile series of {@code nile.csv} (see the README next to it for its origin). */
final class NileData {
    /** Durbin &amp; Koopman (2012, sec. 2.10): maximum-likelihood variances under exact diffuse initialisation. */
    static final double OBSERVATION_VARIANCE = 15099;
    static final double LEVEL_VARIANCE = 1469.1;

    private NileData() {
    }

    static double[] volumes() {
        try (InputStream in = NileData.class.getResourceAsStream("nile.csv")) {
            if (in == null) {
                throw new IllegalStateException("nile.csv is missing from the test resources");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Double> values = new ArrayList<>();
            String line = reader.readLine();
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    values.add(Double.parseDouble(line.split(",")[1]));
                }
            }
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Sequence sequence() {
        return Sequence.ofScalars("nile", volumes());
    }
}
