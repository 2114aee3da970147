package org.statespace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The Nile example runs and reports the published estimates (nile.md) to the digits it prints. */
class NileExampleTest {

    @Test
    void reportsThePublishedEstimates() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        NileExample.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String report = buffer.toString(StandardCharsets.UTF_8);
        assertThat(report).containsPattern("observation variance +15098\\.52 ")
                .containsPattern("level variance +1469\\.176 ")
                .contains("log-likelihood -633.4646").contains("-632.5456").contains("1980");
    }
}
