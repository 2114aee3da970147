package org.statespace.cli;

import picocli.CommandLine.Option;

/** {@code --debug}, on every command: show the stack trace of an error. Read in {@link Main}. */
final class DebugOption {
    @Option(names = "--debug", description = "show the stack trace of an error")
    boolean debug;
}
