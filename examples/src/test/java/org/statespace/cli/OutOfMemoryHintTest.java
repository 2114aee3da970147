package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The out-of-memory error's hint names {@code --stream} only for a command that streams and was not already
 * streaming (the child JVM of {@code StreamingHsmmMemoryTest} sees the whole message after a real out-of-memory).
 */
class OutOfMemoryHintTest {
    @Test
    void aStreamingCommandRunInMemoryIsToldOfStream() {
        for (String command : new String[] {"filter", "smooth", "decode", "forecast", "fit"}) {
            assertThat(Main.streamHint(new String[] {command, "--model", "m.json", "--data", "d.csv"}))
                    .as(command).contains("add --stream");
        }
    }

    @Test
    void noHintWhenAlreadyStreamedOrTheCommandCannot() {
        assertThat(Main.streamHint(new String[] {"smooth", "--model", "m.json", "--data", "d.csv", "--stream"})).isEmpty();
        assertThat(Main.streamHint(new String[] {"filter", "--model", "m.json", "--data", "d.jsonl"})).isEmpty();
        assertThat(Main.streamHint(new String[] {"filter", "--model", "m.json", "--data", "d.csv", "--out", "r.ndjson"}))
                .isEmpty();
        assertThat(Main.streamHint(new String[] {"compare", "study.json"})).isEmpty();
        assertThat(Main.streamHint(new String[0])).isEmpty();
    }
}
