package org.statespace.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The records a pass appends come back as written, block by block from the first or from the last, at every
 * length against the block size (empty, shorter than a block, a whole number of blocks, a part block at the end);
 * a block changed and written back in place is what the next read sees. The reference is the array the test keeps.
 */
class SpilledStepsTest {
    private static final int RECORD = 3;

    @Test
    void appendedRecordsReadBackForwardAndBackwardAtEveryLength() throws IOException {
        for (int block : new int[] {1, 4, 7}) {
            for (int length : new int[] {0, 1, 3, 4, 8, 13}) {
                double[] expected = new double[length * RECORD];
                try (SpilledSteps steps = new SpilledSteps(RECORD, block)) {
                    steps.open();
                    for (int t = 0; t < length; t++) {
                        int r = steps.nextRecord();
                        for (int j = 0; j < RECORD; j++) {
                            steps.values[r + j] = 10.0 * t + j;
                            expected[t * RECORD + j] = 10.0 * t + j;
                        }
                        steps.appended();
                    }
                    assertThat(steps.finish()).isEqualTo(length);
                    assertThat(steps.length()).isEqualTo(length);
                    assertThat(read(steps, false)).as("forward, block %d, length %d", block, length).isEqualTo(expected);
                    double[] handed = new double[length * RECORD];
                    int[] next = {0};
                    steps.forEachStep((t, values, at) -> {
                        assertThat(t).isEqualTo(next[0]++);
                        System.arraycopy(values, at, handed, t * RECORD, RECORD);
                    });
                    assertThat(next[0]).isEqualTo(length);
                    assertThat(handed).as("handed over, block %d, length %d", block, length).isEqualTo(expected);
                    assertThat(read(steps, true)).as("backward, block %d, length %d", block, length).isEqualTo(expected);
                    // every record negated in place, block by block from the last
                    for (int from = steps.lastBlock(); from >= 0; from -= steps.blockSteps) {
                        int count = steps.read(from);
                        for (int i = 0; i < count * RECORD; i++) {
                            steps.values[i] = -steps.values[i];
                        }
                        steps.write(from, count);
                    }
                    double[] negated = Arrays.stream(expected).map(v -> -v).toArray();
                    assertThat(read(steps, false)).isEqualTo(negated);
                }
            }
        }
    }

    @Test
    void aFileOfAKnownLengthIsWrittenBlockByBlockFromTheEnd() throws IOException {
        try (SpilledSteps path = new SpilledSteps(1, 4)) {
            path.open(10);
            assertThat(path.lastBlock()).isEqualTo(8);
            for (int from = path.lastBlock(); from >= 0; from -= path.blockSteps) {
                int count = Math.min(path.blockSteps, 10 - from);
                for (int b = 0; b < count; b++) {
                    path.values[b] = from + b;
                }
                path.write(from, count);
            }
            assertThat(read(path, false)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void theDefaultBlockHoldsAboutAMegabyteAndAtLeastOneStep() {
        assertThat(SpilledSteps.blockSteps(0, 8)).isEqualTo(SpilledSteps.BLOCK_BYTES / 8);
        assertThat(SpilledSteps.blockSteps(0, 3 * SpilledSteps.BLOCK_BYTES)).isEqualTo(1);
        assertThat(SpilledSteps.blockSteps(5, 8)).isEqualTo(5);
        assertThat(new SpilledSteps(RECORD, 0).values).hasSize(SpilledSteps.BLOCK_BYTES / (RECORD * 8) * RECORD);
    }

    @Test
    void anIoFailureNamesTheSpillFileAndTheTemporaryFolder() {
        try (SpilledSteps steps = new SpilledSteps(RECORD, 2)) {
            steps.open();
            assertThat(steps.failed(new IOException("No space left on device")).getMessage())
                    .contains("statespace-spill-").contains("No space left on device").contains("java.io.tmpdir");
        }
    }

    // the whole file, read a block at a time forwards or backwards, in step order
    private static double[] read(SpilledSteps steps, boolean backward) throws IOException {
        double[] all = new double[steps.length() * steps.record];
        if (backward) {
            for (int from = steps.lastBlock(); from >= 0; from -= steps.blockSteps) {
                int count = steps.read(from);
                System.arraycopy(steps.values, 0, all, from * steps.record, count * steps.record);
            }
        } else {
            for (int from = 0; from < steps.length(); from += steps.blockSteps) {
                int count = steps.read(from);
                System.arraycopy(steps.values, 0, all, from * steps.record, count * steps.record);
            }
        }
        return all;
    }
}
