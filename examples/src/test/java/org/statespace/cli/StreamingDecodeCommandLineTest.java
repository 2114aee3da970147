package org.statespace.cli;

/**
 * {@code decode --stream} (and {@code .jsonl} data) writes what the in-memory {@code decode} writes: the tidy CSV
 * line for line, the JSON's states and paths, the summary's text, from CSV, JSON Lines and dataset
 * JSON input (the in-memory Viterbi is the independent implementation); bad input is one error naming the file
 * and line, and leaves no output file. The tests: {@link StreamingPosteriorContract}.
 */
class StreamingDecodeCommandLineTest extends StreamingPosteriorContract {
    StreamingDecodeCommandLineTest() {
        super("decode", "no discrete hidden path to decode");
    }
}
