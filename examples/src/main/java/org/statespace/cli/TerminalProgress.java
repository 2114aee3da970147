package org.statespace.cli;

import java.io.PrintStream;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import org.statespace.inference.LearningCurve;
import org.statespace.inference.TrainingListener;

/**
 * A progress bar for fits on a terminal (iteration, loss, ETA), drawn on standard error with
 * me.tongfei progressbar. Silent when the output is not a terminal or when asked to be quiet, so logs
 * and pipes get no control characters.
 */
final class TerminalProgress implements TrainingListener, AutoCloseable {
    private final String task;
    private final boolean enabled;
    private final PrintStream stream;
    private ProgressBar bar;

    private TerminalProgress(String task, boolean enabled, PrintStream stream) {
        this.task = task;
        this.enabled = enabled;
        this.stream = stream;
    }

    /**
     * A progress bar for {@code task} on standard error, shown only when {@code quiet} is false and the
     * process runs on a terminal.
     */
    public static TerminalProgress forTask(String task, boolean quiet) {
        return new TerminalProgress(task, !quiet && System.console() != null, System.err);
    }

    /** Whether anything is drawn. */
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void onIteration(int iteration, int maxIterations, LearningCurve.Point point) {
        if (!enabled) {
            return;
        }
        if (bar == null || bar.getMax() != maxIterations) {
            close();
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(maxIterations)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(stream)).build();
        }
        bar.stepTo(iteration);
        String validation = Double.isNaN(point.validationLoss()) ? ""
                : String.format(Locale.ROOT, ", validation %.5f", point.validationLoss());
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.5f%s", point.trainingLoss(), validation));
    }

    /** Finishes the bar (a converged fit ends before its maximum). */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
