package org.statespace.cli;

/**
 * {@code smooth --stream} (and {@code .jsonl} data) writes what the in-memory {@code smooth} writes: the tidy CSV
 * line for line, the JSON's sequences and log-likelihood, the summary's text, from CSV, JSON Lines and dataset
 * JSON input (the in-memory smoother is the independent implementation); bad input is one error naming the file
 * and line, and leaves no output file. The tests: {@link StreamingPosteriorContract}.
 */
class StreamingSmoothCommandLineTest extends StreamingPosteriorContract {
    StreamingSmoothCommandLineTest() {
        super("smooth", "has no hidden states to smooth");
    }
}
