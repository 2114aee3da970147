package org.statespace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The online-EM example runs on a shorter series (2·10⁴ steps, 20 updates) and reports, for both models, online
 * EM within 0.01 nats per step of batch EM, which is itself better than the start.
 */
class OnlineEmLongSeriesTest {

    @Test
    void reportsOnlineEmCloseToBatchEm() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        OnlineEmLongSeries.run(new PrintStream(buffer, true, StandardCharsets.UTF_8), 20_000);
        String report = buffer.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("start +(-?[0-9.]+) .*\\n.*batch EM +(-?[0-9.]+) .*\\n.*online EM +(-?[0-9.]+) ")
                .matcher(report);
        int found = 0;
        while (m.find()) {
            double start = Double.parseDouble(m.group(1));
            double batch = Double.parseDouble(m.group(2));
            double online = Double.parseDouble(m.group(3));
            assertThat(batch - start).as(report).isGreaterThan(0.02);
            assertThat(Math.abs(batch - online)).as(report).isLessThan(0.01);
            found++;
        }
        assertThat(found).as(report).isEqualTo(2);
    }
}
