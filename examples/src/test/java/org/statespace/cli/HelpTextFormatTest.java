package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * Every command's {@code --help} formats without picocli's warning: picocli passes descriptions through
 * {@code String.format}, so a bare {@code %} (as in "5%/95% quantiles") makes it print "[picocli WARN] Could not
 * format ..." on the JVM's standard error before the help. The warning, not the help text, is what this looks for.
 */
class HelpTextFormatTest {
    @Test
    void everyCommandsHelpFormatsWithoutAWarning() {
        CommandLine root = new CommandLine(new Main());
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(CliRunner.run("--help").exitCode()).isZero();
            for (String command : root.getSubcommands().keySet()) {
                CliRunner help = CliRunner.run(command, "--help");
                assertThat(help.exitCode()).as(command).isZero();
                assertThat(help.out()).as(command).contains("Usage: statespace " + command);
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }
}
