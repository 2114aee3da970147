package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.spec.Json;

/**
 * Every command on every kind of bad input it can meet: a missing file, a folder, broken JSON, a spec or
 * dataset that is wrong in itself, data that does not fit the model, a model of a family the command
 * cannot use, bad option values, and an --out that cannot be written. Each must print one line on stderr
 * that starts with "error:" and names the file, field or line (a usage error may add the line that
 * points to --help), exit with 1 (input) or 2 (usage), print no stack trace and nothing on stdout, and
 * leave no output file behind and every input as it was (an output named like an input is refused).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryCommandBadInputTest {
    private Path dir;
    private final Set<String> commandsCovered = new LinkedHashSet<>();

    /** {name: file content} written once for all cases; a case names them as {name}. */
    private static final String[][] FILES = {
        {"weather.json", MarkovCommandLineTest.WEATHER},
        {"hmm.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}"},
        {"hmm-fit-unknown-path.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]},"
            + " \"fit\": {\"fixed\": [\"emission.mean[0]\"]}}"},
        {"hmm-fit-bounds-reversed.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]},"
            + " \"fit\": {\"bounds\": {\"emission.covariances[1]\": {\"lower\": 5, \"upper\": 0.5}}}}"},
        {"hmm-prior-zero-concentration.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]},"
            + " \"prior\": {\"transition\": {\"concentration\": [[1, 1], [0, 2]]}}}"},
        {"hmm-fit-tie-shapes.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]},"
            + " \"fit\": {\"tied\": {\"both\": [\"emission.covariances[0]\", \"emission.means[1]\"]}}}"},
        {"level.json", "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}"},
        {"level-fit-unknown-path.json", "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5,"
            + " \"fit\": {\"fixed\": [\"observationVarance\"]}}"},
        {"level-fit-bound-excludes-start.json", "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5,"
            + " \"fit\": {\"bounds\": {\"levelVariance\": {\"lower\": 1, \"upper\": 10}}}}"},
        {"level-fit-bound-typo.json", "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5,"
            + " \"fit\": {\"bounds\": {\"levelVarianc\": {\"upper\": 1}}}}"},
        {"hmm-template-typo.json", "{\"type\": \"hmm\", \"states\": 3, \"emissions\": \"poisson\"}"},
        {"hmm-template-zero.json", "{\"type\": \"hmm\", \"states\": 0, \"emission\": \"poisson\"}"},
        {"hmm-template-poisson.json", "{\"type\": \"hmm\", \"states\": 2, \"emission\": \"poisson\"}"},
        {"chain-template.json", "{\"type\": \"markov-chain\", \"order\": 2}"},
        {"inputs-model.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[0.9]], \"controlMatrix\": [[0.5]],"
            + " \"processNoise\": [[0.4]], \"observationMatrix\": [[1]], \"observationNoise\": [[0.5]],"
            + " \"initialMean\": [0], \"initialCovariance\": [[1]]}"},
        {"rnn.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 3}],"
            + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 1}"},
        {"rnn-fit-unknown-weight.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 3}],"
            + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 1, \"fit\": {\"fixed\": [\"weights.weigth_hh_l0\"]}}"},
        {"rnn-fit-index-out-of-range.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 3}],"
            + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 1, \"fit\": {\"fixed\": [\"weights.weight_hh_l0[9][0]\"]}}"},
        {"rnn-bad-initial.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"tanh\", \"hiddenSize\": 3,"
            + " \"form\": \"ii-literal\", \"initialState\": [0.5]}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}}"},
        {"rnn-gru-cell.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 2,"
            + " \"initialCell\": [0.5, 1]}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}}"},
        {"rnn-gru-diffuse.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 2,"
            + " \"diffuseStates\": [0]}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}}"},
        {"rnn-gru-feedthrough.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 2,"
            + " \"feedthrough\": true}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}}"},
        {"rnn-kalman-diffuse-range.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"kalman\","
            + " \"hiddenSize\": 2, \"diffuseStates\": [0, 2]}], \"head\": {\"type\": \"belief\", \"outputSize\": 1}}"},
        {"rnn-kalman-diffuse-twice.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"kalman\","
            + " \"hiddenSize\": 2, \"diffuseStates\": [1, 1]}], \"head\": {\"type\": \"belief\", \"outputSize\": 1}}"},
        {"rnn-loop.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"tanh\", \"hiddenSize\": 2},"
            + " {\"cell\": \"tanh\", \"hiddenSize\": 2}, {\"cell\": \"tanh\", \"hiddenSize\": 2}, {\"cell\": \"tanh\", \"hiddenSize\": 2}],"
            + " \"edges\": [{\"from\": 3, \"to\": 0, \"delay\": 1}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}}"},
        {"nl-unknown-model.json", "{\"type\": \"nonlinear\", \"model\": \"growht\", \"filter\": \"ekf\"}"},
        {"nl-bad-q.json", "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ekf\", \"processNoise\": [[-10]]}"},
        {"nl-bad-alpha.json", "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ukf\", \"alpha\": 1.5}"},
        {"nl-no-particles.json", "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"particle\", \"particles\": 0}"},
        {"nl-growth.json", "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ukf\"}"},
        {"nl-neural-bad-weight.json", "{\"type\": \"nonlinear\", \"filter\": \"ekf\", \"transition\": {\"type\": \"mlp\","
            + " \"layers\": [{\"weight\": [[0.5], [0.2]], \"bias\": [0, 0]}, {\"weight\": [[1, 1, 1]], \"bias\": [0]}]},"
            + " \"observation\": {\"type\": \"mlp\", \"layers\": [{\"weight\": [[1]], \"bias\": [0]}]},"
            + " \"processNoise\": [[1]], \"observationNoise\": [[1]], \"initialMean\": [0], \"initialCovariance\": [[1]]}"},
        {"flows.csv", ",flow,rain\n0,1.5,0.1\n1,2.5,0.2\n"},
        {"broken.json", "{\"type\": \"markov-chain\", \"initial\": [1, 0],\n  \"transition\": [[0.5, 0.5] [0.5, 0.5]]}"},
        {"unknown-type.json", "{\"type\": \"kalman-filter\", \"states\": 2}"},
        {"typo-type.json", "{\"type\": \"hmn\", \"states\": 2}"},
        {"means-too-high.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
            + " \"means\": [[0], [3]], \"emission\": {\"type\": \"gaussian\", \"covariances\": [[1], [2]]}}"},
        {"bad-covariance.json", "{\"type\": \"hmm\", \"initial\": [1], \"transition\": [[1]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0]], \"covariances\": [[[-1]]]}}"},
        {"empty.json", ""},
        {"reals.json", "{\"sequences\": [{\"id\": \"r\", \"observations\": [1.5, 2, null, 0.5, 3]}]}"},
        // streamed data (filter --stream, .jsonl): a truncated JSON Lines line, a bad CSV cell after several chunks
        {"truncated.jsonl", "{\"observation\": 1.5}\n{\"observation\": 2.5\n"},
        {"nan-line.jsonl", "{\"observations\": [1, 2]}\n{\"observations\": [1, NaN]}\n"},
        {"foggy-steps.jsonl", "{\"observation\": \"sunny\"}\n{\"observation\": \"foggy\"}\n"},
        {"late-bad-line.csv", "y\n" + "1.5\n".repeat(40_000) + "oops\n"},
        {"symbols.json", "{\"symbols\": [\"sunny\", \"cloudy\", \"rainy\"], \"sequences\": [{\"observations\": [0, 1, 2, 1]}]}"},
        {"vectors.json", "{\"sequences\": [{\"observations\": [[1, 2], [3, 4]]}]}"},
        {"broken-data.json", "{\"sequences\": [{\"observations\": [1, 2,, 3]}]}"},
        {"nan-data.json", "{\"sequences\": [{\"observations\": [1, NaN, 3]}]}"},
        {"symbol-out-of-range.json", "{\"sequences\": [{\"observations\": [0, 1, 7]}], \"observationType\": \"symbols\"}"},
        {"unknown-support.json", "{\"support\": \"integers\", \"sequences\": [{\"observations\": [1, 2]}]}"},
        {"not-counts.json", "{\"support\": \"counts\", \"sequences\": [{\"id\": \"c\", \"observations\": [1, 2.5]}]}"},
        {"bad-line.csv", "y\n1.5\n2,3\n4\n"},
        {"not-a-number.csv", "y\n1.5\ntwelve\n"},
        {"inputs-2.json", "{\"sequences\": [{\"observations\": [null, null], \"inputs\": [[1, 2], [3, 4]]}]}"},
        {"inputs-short.json", "{\"sequences\": [{\"observations\": [null, null], \"inputs\": [[1], [2]]}]}"},
        {"options-broken.json", "{\"maxIterations\": }"},
        {"options-unknown.json", "{\"maxIterations\": 3, \"learningrate\": 0.1}"},
        {"options-bad-value.json", "{\"tolerance\": -1}"},
        {"options-step-exponent.json", "{\"method\": \"online-em\", \"stepExponent\": 0.3}"},
        {"study-broken.json", "{\"datasets\": ["},
        {"rnn-hmm-covariance.json", "{\"type\": \"rnn\", \"inputSize\": 3, \"layers\": [{\"cell\": \"hmm\", \"hiddenSize\": 2,"
            + " \"emission\": {\"type\": \"categorical\", \"covariance\": \"diagonal\"}}], \"head\": {\"type\": \"belief\", \"outputSize\": 3}}"},
        {"rnn-gain-diagonal.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"kalman\", \"hiddenSize\": 2,"
            + " \"learnedGain\": true, \"diagonalNoise\": true}], \"head\": {\"type\": \"belief\", \"outputSize\": 1}}"},
        {"rnn-gru-gain.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 2,"
            + " \"learnedGain\": true}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}}"},
        {"study-unknown-type.json", "{\"datasets\": [{\"builtin\": \"nile\"}], \"models\": [{\"template\": {\"type\": \"arima\"}}]}"},
        {"study-unknown-builtin.json", "{\"datasets\": [{\"builtin\": \"sunspot\"}], \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-missing-data.json", "{\"datasets\": [{\"path\": \"no-such-data.json\"}], \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-bad-field.json", "{\"datasets\": [{\"builtin\": \"nile\"}], \"split\": {\"train\": 1.5}, \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-bad-level.json", "{\"datasets\": [{\"builtin\": \"nile\"}], \"levels\": [0.5, 1.2], \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-bad-significance.json", "{\"datasets\": [{\"builtin\": \"nile\"}], \"significance\": 0, \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-bad-burn.json", "{\"datasets\": [{\"builtin\": \"nile\"}], \"burn\": -3, \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-bad-smoothing.json", "{\"datasets\": [{\"builtin\": \"austen\"}], \"models\": [{\"template\": {\"type\": \"markov-chain\", \"pseudoCount\": -0.5}}]}"},
        {"study-ok.json", "{\"datasets\": [{\"path\": \"reals.json\"}], \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-same-file-models.json", "{\"datasets\": [{\"path\": \"reals.json\"}], \"models\": [{\"name\": \"a/b\", \"template\": {\"type\": \"local-level\"}},"
            + " {\"name\": \"a_b\", \"template\": {\"type\": \"local-level\"}}]}"},
        {"study-same-file-datasets.json", "{\"datasets\": [{\"name\": \"Real\", \"path\": \"reals.json\"}, {\"name\": \"real\", \"path\": \"reals.json\"}],"
            + " \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-empty-model-name.json", "{\"datasets\": [{\"path\": \"reals.json\"}], \"models\": [{\"name\": \"\", \"template\": {\"type\": \"local-level\"}}]}"},
        {"study-empty-dataset-name.json", "{\"datasets\": [{\"name\": \" \", \"path\": \"reals.json\"}], \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-result-empty-name.json", "{\"study\": \"s\", \"rows\": [{\"model\": \"\", \"dataset\": \"d\", \"seed\": 1,"
            + " \"status\": \"ok\", \"type\": \"local-level\", \"metrics\": {\"meanLogLikelihood\": -1}}], \"summary\": []}"},
        {"not-a-result.json", "{\"hello\": [1, 2, 3]}"},
        {"result-unknown-kind.json", "{\"result\": \"filtered\", \"version\": 1, \"sequences\": []}"},
        {"result-newer-version.json", "{\"result\": \"filter\", \"version\": 2, \"sequences\": []}"},
        {"filter-summaries-apart.json", "{\"result\": \"filter\", \"version\": 1, \"logLikelihood\": -1, "
            + "\"observations\": 2, \"meanLogLikelihood\": -0.5, \"sequences\": [{\"id\": \"s\", \"logLikelihood\": -1, "
            + "\"predictiveLogDensities\": [-0.5, -0.5], \"predictiveMeans\": [1, 2], \"predictiveVariances\": [1], "
            + "\"lower50\": [0, 1], \"upper50\": [2, 3], \"lower90\": [0, 1], \"upper90\": [2, 3]}]}"},
        {"decode-unknown-state.json", "{\"states\": [\"calm\", \"storm\"], \"sequences\": [{\"id\": \"s\","
            + " \"viterbiPath\": [\"calm\", \"windy\"]}]}"},
        {"decode-unknown-field.json", "{\"states\": [\"calm\", \"storm\"], \"sequences\": [{\"id\": \"s\","
            + " \"viterbiPath\": [\"calm\"]}], \"state\": [\"calm\"]}"},
        {"study-result-unknown-field.json", "{\"study\": \"s\", \"rows\": [], \"summary\": [], \"row\": []}"},
        {"states-not-names.json", "{\"states\": \"calm\", \"sequences\": [{\"id\": \"s\", \"viterbiPath\": [0, 1]}]}"},
        {"newline-type.json", "{\"type\": \"hidden\\nmarkov\", \"states\": 2}"},
        {"newline-field.csv", "\"y\nz\",\"w\"\n1,2\n\"3\",x\n"},
        {"all-missing.json", "{\"sequences\": [{\"id\": \"gone\", \"observations\": [null, null, null]}]}"},
        {"far.json", "{\"sequences\": [{\"id\": \"far\", \"observations\": [1e200, 1.1e200, 1.2e200, 1e200, 1.3e200]}]}"},
        // non-finite results: probability zero, densities and moments beyond the double range, an explosive forecast
        {"weather-no-rain-after-sun.json", "{\"type\": \"markov-chain\", \"states\": [\"sunny\", \"cloudy\", \"rainy\"],"
            + " \"initial\": [1, 0, 0], \"transition\": [[0.8, 0.2, 0], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5]]}"},
        {"sun-then-rain.json", "{\"symbols\": [\"sunny\", \"cloudy\", \"rainy\"], \"sequences\": [{\"id\": \"days\","
            + " \"observations\": [\"sunny\", \"sunny\", \"rainy\", \"cloudy\"]}]}"},
        {"huge.json", "{\"sequences\": [{\"id\": \"b\", \"observations\": [1e200, 2e200, 1.5e300]}]}"},
        {"hmm-far-apart.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[1e200], [-1e200]],"
            + " \"covariances\": [[[1e300]], [[1e300]]]}}"},
        {"explosive.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[1.5]], \"processNoise\": [[0.4]],"
            + " \"observationMatrix\": [[1]], \"observationNoise\": [[0.5]], \"initialMean\": [0], \"initialCovariance\": [[1]]}"},
        {"normalize-zero-row.json", "{\"type\": \"markov-chain\", \"initial\": [1, 0], \"normalize\": true,"
            + " \"transition\": [[1e308, 1e308], [0, 0]]}"},
        {"foggy.csv", "symbol\nsunny\nfoggy\nrainy\n"},
        {"snowy.json", "{\"symbols\": [\"rainy\", \"snowy\"], \"sequences\": [{\"id\": \"w\", \"observations\": [\"rainy\", \"snowy\"]}]}"},
        {"unused-name.json", "{\"symbols\": [\"rainy\", \"hail\"], \"sequences\": [{\"observations\": [\"rainy\"]}]}"},
        {"indices.json", "{\"observationType\": \"symbols\", \"sequences\": [{\"observations\": [0, 2, 1]}]}"},
        {"suffix.csv", "y\n1.5\n2.5d\n"},
        {"float-suffix.csv", "y\n1.5f\n"},
        {"long-number.json", "{\"sequences\": [{\"observations\": [1" + "0".repeat(1200) + "]}]}"},
        {"deep.json", "{\"sequences\": [{\"observations\": [1]}], \"provenance\": " + "[".repeat(1500) + "]".repeat(1500) + "}"},
        {"dice.json", "{\"type\": \"hmm\", \"states\": [\"fair\", \"loaded\"], \"initial\": [0.5, 0.5],"
            + " \"transition\": [[0.9, 0.1], [0.1, 0.9]], \"emission\": {\"type\": \"categorical\","
            + " \"symbols\": [\"a\", \"b\"], \"probabilities\": [[1, 0], [1, 0]]}}"},
        {"b.csv", "symbol\na\nb\n"},
        {"iohmm.json", "{\"type\": \"iohmm\", \"inputs\": 1, \"initial\": [0.5, 0.5], \"transitionWeights\": [[[0], [1]], [[-1], [0]]],"
            + " \"transitionBiases\": [[1, -1], [-1, 1]], \"emission\": {\"type\": \"gaussian\", \"means\": [[0], [3]], \"covariances\": [[1], [1]]}}"},
        {"iohmm-bad-weights.json", "{\"type\": \"iohmm\", \"inputs\": 2, \"initial\": [0.5, 0.5], \"transitionWeights\": [[[0], [1]], [[-1], [0]]],"
            + " \"transitionBiases\": [[1, -1], [-1, 1]], \"emission\": {\"type\": \"gaussian\", \"means\": [[0], [3]], \"covariances\": [[1], [1]]}}"},
        {"iohmm-template.json", "{\"type\": \"iohmm\", \"states\": 2, \"emission\": \"regression\"}"},
        {"iohmm-lags.json", "{\"type\": \"iohmm\", \"states\": 2, \"emission\": \"gaussian\", \"lags\": 2}"},
        {"hsmm.json", "{\"type\": \"hsmm\", \"initial\": [0.5, 0.5], \"transition\": [[0, 1], [1, 0]], \"maxDuration\": 8,"
            + " \"durations\": [{\"type\": \"poisson\", \"rate\": 3}, {\"type\": \"geometric\", \"probability\": 0.2}],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}"},
        {"hsmm-self.json", "{\"type\": \"hsmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.5, 0.5], [1, 0]], \"maxDuration\": 8,"
            + " \"durations\": [{\"type\": \"poisson\", \"rate\": 3}, {\"type\": \"geometric\", \"probability\": 0.2}],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}"},
        {"hsmm-no-max.json", "{\"type\": \"hsmm\", \"initial\": [0.5, 0.5], \"transition\": [[0, 1], [1, 0]],"
            + " \"durations\": [{\"type\": \"negative-binomial\", \"size\": 2, \"probability\": 0.4}, {\"type\": \"geometric\", \"probability\": 0.2}],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}"},
        {"hsmm-long-table.json", "{\"type\": \"hsmm\", \"initial\": [0.5, 0.5], \"transition\": [[0, 1], [1, 0]], \"maxDuration\": 2,"
            + " \"durations\": [{\"type\": \"table\", \"probabilities\": [0.5, 0.25, 0.25]}, {\"type\": \"geometric\", \"probability\": 0.2}],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}"},
        {"hsmm-bad-rate.json", "{\"type\": \"hsmm\", \"initial\": [0.5, 0.5], \"transition\": [[0, 1], [1, 0]], \"maxDuration\": 8,"
            + " \"durations\": [{\"type\": \"poisson\", \"rate\": -3}, {\"type\": \"geometric\", \"probability\": 0.2}],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}"},
    };

    /** The fits whose checkpoints the damaged ones below start from: {name, fit arguments}. */
    private static final String[][] CHECKPOINT_RUNS = {
        {"ck-em.json", "--model {hmm.json} --data {reals.json} --max-iterations 3 --tolerance 0 --restarts 1"},
        {"ck-optimizer.json", "--model {level.json} --data {reals.json} --max-iterations 3"},
        {"ck-gradient.json", "--model {rnn.json} --data {reals.json} --max-iterations 2"},
        {"ck-online.json", "--model {hmm.json} --data {reals.json} --method online-em --chunk 2 --max-iterations 2"},
    };

    /** Checkpoints damaged as a user's editor might: {name, the run's checkpoint it starts from, the damage}. */
    private static final Object[][] DAMAGED = {
        {"ck-negative-iteration.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.put("iteration", -5)},
        {"ck-huge-iteration.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.put("iteration", 1e12)},
        {"ck-fraction-iteration.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.put("iteration", 2.5)},
        {"ck-iteration-beyond.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.put("iteration", 12)},
        {"ck-string-trace.json", "ck-em.json", (Consumer<ObjectNode>) c -> ((ArrayNode) c.get("trace")).set(1, "abc")},
        {"ck-short-trace.json", "ck-em.json", (Consumer<ObjectNode>) c -> ((ArrayNode) c.get("trace")).remove(0)},
        {"ck-restart-999.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.put("restart", 999)},
        {"ck-other-type.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.set("model",
                Json.parse("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1}", "test"))},
        {"ck-no-iteration.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.remove("iteration")},
        {"ck-no-model.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.remove("model")},
        {"ck-no-stopping.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.remove("earlyStopping")},
        {"ck-restart-not-number.json", "ck-em.json", (Consumer<ObjectNode>) c -> c.put("restart", "one")},
        {"ck-finished-bad.json", "ck-em.json", (Consumer<ObjectNode>) c ->
                ((ObjectNode) c.get("finishedRestarts").get(0)).put("logLikelihood", "high")},
        {"ck-optimizer-point.json", "ck-optimizer.json", (Consumer<ObjectNode>) c ->
                ((ObjectNode) c.get("optimizer")).set("bestPoint", Json.parse("[1]", "test"))},
        {"ck-optimizer-pass.json", "ck-optimizer.json", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("optimizer")).put("pass", 2)},
        {"ck-gradient-parameters.json", "ck-gradient.json", (Consumer<ObjectNode>) c ->
                ((ObjectNode) c.get("gradient")).set("parameters", Json.parse("[0.5]", "test"))},
        {"ck-online-statistics.json", "ck-online.json", (Consumer<ObjectNode>) c ->
                ((ObjectNode) c.get("online")).set("statistics", Json.parse("[0.5, 1]", "test"))},
        {"ck-online-no-statistics.json", "ck-online.json", (Consumer<ObjectNode>) c -> c.remove("online")},
        // intact, but handed to a fit of another method
        {"ck-em-as-is.json", "ck-em.json", (Consumer<ObjectNode>) c -> { }},
    };

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        // command, arguments ({name} = a file above, {dir} = the folder, {out} = the output), exit code, expected text
        // sample
        c.add(row("sample", "--model {dir}/nope.json --length 5 --seed 1 --out {out}", 1, "nope.json: no such file (--model)"));
        c.add(row("sample", "--model {dir} --length 5 --seed 1 --out {out}", 1, "is a folder"));
        c.add(row("sample", "--model {broken.json} --length 5 --seed 1 --out {out}", 1, "broken.json: line 2, column"));
        c.add(row("sample", "--model {empty.json} --length 5 --seed 1 --out {out}", 1, "empty.json"));
        c.add(row("sample", "--model {unknown-type.json} --length 5 --seed 1 --out {out}", 1, "type: unknown model type \"kalman-filter\""));
        c.add(row("sample", "--model {bad-covariance.json} --length 5 --seed 1 --out {out}", 1, "bad-covariance.json: emission.covariances[0]"));
        c.add(row("sample", "--model {newline-type.json} --length 5 --seed 1 --out {out}", 1, "unknown model type \"hidden\\nmarkov\""));
        c.add(row("sample", "--model {typo-type.json} --length 5 --seed 1 --out {out}", 1,
                "typo-type.json: type: unknown model type \"hmn\"; did you mean \"hmm\"?"));
        c.add(row("sample", "--model {means-too-high.json} --length 5 --seed 1 --out {out}", 1,
                "means-too-high.json: means: unknown field; did you mean \"emission.means\"?"));
        c.add(row("sample", "--model {weather.json} --length 0 --seed 1 --out {out}", 2, "--length must be at least 1"));
        c.add(row("sample", "--model {weather.json} --length five --seed 1 --out {out}", 2, "--length"));
        c.add(row("sample", "--model {weather.json} --length 5 --out {out}", 2, "--seed"));
        c.add(row("sample", "--model {weather.json} --length 5 --seed 1 --sequences -1 --out {out}", 2, "--sequences"));
        c.add(row("sample", "--model {weather.json} --length 5 --seed 1 --frobnicate --out {out}", 2, "--frobnicate"));
        c.add(row("sample", "--model {inputs-model.json} --length 2 --seed 1 --out {out}", 2, "--inputs"));
        c.add(row("sample", "--model {weather.json} --length 5 --seed 1 --json --out {dir}/d.csv", 2, "--json and --out"));
        c.add(row("sample", "--model {inputs-model.json} --length 2 --seed 1 --inputs {inputs-2.json} --out {out}", 1, "inputs-2.json"));
        c.add(row("sample", "--model {inputs-model.json} --length 9 --seed 1 --inputs {inputs-short.json} --out {out}", 1, "inputs-short.json"));
        c.add(row("sample", "--model {weather.json} --length 5 --seed 1 --out {dir}", 1, "is a folder"));
        c.add(row("sample", "--model {normalize-zero-row.json} --length 5 --seed 1 --out {out}", 1,
                "normalize-zero-row.json: transition[1]: cannot normalise"));
        c.add(row("sample", "--model {explosive.json} --length 2000 --seed 1 --out {out}", 1, "sequence 's1'"));
        c.add(row("sample", "--model {weather.json} --length 5 --seed 1 --out {weather.json}", 2, "is the input --model"));
        // non-linear models: an unknown model name (with a suggestion), a noise that is not positive definite, bad
        // unscented and particle options, data of another dimension
        c.add(row("sample", "--model {nl-unknown-model.json} --length 5 --seed 1 --out {out}", 1,
                "nl-unknown-model.json: model: no built-in non-linear model \"growht\"; did you mean \"growth\"?"));
        c.add(row("filter", "--model {nl-bad-q.json} --data {reals.json} --out {out}", 1,
                "nl-bad-q.json: processNoise: not positive definite"));
        c.add(row("smooth", "--model {nl-bad-alpha.json} --data {reals.json} --out {out}", 1,
                "nl-bad-alpha.json: alpha: must be in (0, 1], got 1.5"));
        c.add(row("forecast", "--model {nl-no-particles.json} --data {reals.json} --steps 2 --out {out}", 1,
                "nl-no-particles.json: particles: must be at least 1, got 0"));
        c.add(row("filter", "--model {nl-growth.json} --data {vectors.json} --out {out}", 1, "vectors.json"));
        c.add(row("filter", "--model {nl-neural-bad-weight.json} --data {reals.json} --out {out}", 1,
                "nl-neural-bad-weight.json: transition.layers[1].weight: has 3 columns; the layer before has 2 outputs"));
        // filter
        c.add(row("filter", "--model {weather.json} --data {dir}/nope.json --out {out}", 1, "nope.json: no such file (--data)"));
        // --out names a format by its extension; --columns names columns of the CSV
        c.add(row("filter", "--model {level.json} --data {reals.json} --out {dir}/f.txt", 2, "f.txt: unknown extension; name a .json file"));
        c.add(row("filter", "--model {level.json} --data {reals.json} --json --out {dir}/f.csv", 2, "--json and --out"));
        c.add(row("decode", "--model {hmm.json} --data {reals.json} --out {dir}/d.tsv", 2, "d.tsv: unknown extension"));
        c.add(row("smooth", "--model {level.json} --data {reals.json} --out {dir}/s", 2, "s: unknown extension"));
        c.add(row("forecast", "--model {level.json} --data {reals.json} --steps 2 --out {dir}/f.xlsx", 2, "f.xlsx: unknown extension"));
        c.add(row("sample", "--model {weather.json} --length 5 --seed 1 --out {dir}/s.txt", 2, "s.txt: unknown extension"));
        c.add(row("datasets", "nile --out {dir}/nile.txt", 2, "nile.txt: unknown extension"));
        c.add(row("filter", "--model {level.json} --data {flows.csv} --columns flw --out {out}", 1,
                "flows.csv: line 1: no column \"flw\" (--columns); the columns are flow, rain"));
        c.add(row("filter", "--model {level.json} --data {reals.json} --columns flow --out {out}", 2, "--columns chooses columns of CSV data"));
        c.add(row("filter", "--model {level.json} --data {flows.csv} --columns input:rain --out {out}", 2, "name at least one observation column"));
        c.add(row("filter", "--model {weather.json} --data {broken-data.json} --out {out}", 1, "broken-data.json: line 1, column"));
        c.add(row("filter", "--model {level.json} --data {nan-data.json} --out {out}", 1, "nan-data.json: line 1"));
        c.add(row("filter", "--model {level.json} --data {unknown-support.json} --out {out}", 1,
                "unknown-support.json: line 1, column 13: support: expected \"counts\", \"real\" or \"symbols\""));
        c.add(row("filter", "--model {level.json} --data {not-counts.json} --out {out}", 1,
                "not-counts.json: support \"counts\": sequence 'c', step 1: 2.5 is not a non-negative integer"));
        c.add(row("filter", "--model {level.json} --data {bad-line.csv} --out {out}", 1, "bad-line.csv: line 3"));
        c.add(row("filter", "--model {level.json} --data {not-a-number.csv} --out {out}", 1, "not-a-number.csv: line 3, column \"y\""));
        c.add(row("filter", "--model {level.json} --data {vectors.json} --out {out}", 1, "vectors.json"));
        c.add(row("filter", "--model {level.json} --data {newline-field.csv} --out {out}", 1, "newline-field.csv: line"));
        c.add(row("filter", "--model {level.json} --data {symbols.json} --out {out}", 1, "symbols.json"));
        c.add(row("filter", "--model {weather.json} --data {reals.json} --out {out}", 1, "reals.json"));
        c.add(row("filter", "--model {weather.json} --data {symbol-out-of-range.json} --out {out}", 1, "symbol-out-of-range.json"));
        c.add(row("filter", "--model {weather.json} --data {symbols.json} --states --out {out}", 2, "--states"));
        c.add(row("filter", "--model {level.json} --data {truncated.jsonl} --out {out}", 1, "truncated.jsonl line 2, column"));
        c.add(row("filter", "--model {level.json} --data {nan-line.jsonl} --out {out}", 1, "nan-line.jsonl line 2, column"));
        c.add(row("filter", "--model {weather.json} --data {foggy-steps.jsonl} --out {out}", 1,
                "foggy-steps.jsonl line 2, column"));
        c.add(row("filter", "--model {level.json} --data {late-bad-line.csv} --stream --out {out}", 1,
                "late-bad-line.csv: line 40002, column \"y\": \"oops\" is not a number"));
        c.add(row("filter", "--model {level.json} --data {late-bad-line.csv} --stream --out {dir}/late.csv", 1,
                "late-bad-line.csv: line 40002"));
        c.add(row("filter", "--model {weather.json} --data {symbols.json} --stream --states --out {out}", 2,
                "--states: a markov-chain model has no hidden-state estimates"));
        c.add(row("filter", "--model {level.json} --data {reals.json} --json --out {dir}/r.jsonl", 2, "--json and --out"));
        c.add(row("filter", "--model {weather.json} --data {symbols.json} --threads 0 --out {out}", 2, "--threads"));
        c.add(row("filter", "--model {weather.json} --out {out}", 2, "--data"));
        c.add(row("filter", "--model {weather-no-rain-after-sun.json} --data {sun-then-rain.json} --out {out}", 1,
                "sequence 'days', step 2: observation \"rainy\" has predictive log-density -Infinity"));
        c.add(row("filter", "--model {level.json} --data {huge.json} --out {out}", 1,
                "sequence 'b', step 1: the predictive log-density of observation 2.0E200 is -Infinity"));
        c.add(row("filter", "--model {hmm.json} --data {huge.json} --out {out}", 1,
                "sequence 'b', step 0: observation 1.0E200 has predictive log-density -Infinity"));
        c.add(row("filter", "--model {hmm-far-apart.json} --data {huge.json} --summaries --out {out}", 1,
                "sequence 'b', step 0: the predictive variance is Infinity"));
        c.add(row("filter", "--model {weather.json} --data {symbols.json} --out {symbols.json}", 2, "is the input --data"));
        c.add(row("filter", "--model {weather.json} --data {symbols.json} --out {dir}/./symbols.json", 2, "is the input --data"));
        c.add(row("filter", "--model {weather.json} --data {symbols.json} --out {dir}/x/../weather.json", 2, "is the input --model"));
        // smooth
        c.add(row("smooth", "--model {weather.json} --data {symbols.json} --out {out}", 2, "markov-chain model has no hidden states"));
        c.add(row("smooth", "--model {hmm.json} --data {vectors.json} --out {out}", 1, "vectors.json"));
        c.add(row("smooth", "--model {hmm.json} --data {bad-line.csv} --out {out}", 1, "bad-line.csv: line 3"));
        c.add(row("smooth", "--model {level.json} --data {huge.json} --out {out}", 1, "sequence 'b', step 1"));
        c.add(row("smooth", "--model {hmm.json} --data {huge.json} --out {out}", 1, "sequence 'b', step 0"));
        c.add(row("smooth", "--model {hmm.json} --data {reals.json} --out {hmm.json}", 2, "is the input --model"));
        // input-output HMMs: data without inputs, a misshapen weight matrix, templates
        c.add(row("filter", "--model {iohmm.json} --data {reals.json} --out {out}", 1, "reals.json: the model takes 1 inputs per step but the data has 0"));
        c.add(row("filter", "--model {iohmm-bad-weights.json} --data {reals.json} --out {out}", 1,
                "iohmm-bad-weights.json: transitionWeights[0]: expected a 2x2 matrix, got 2x1"));
        c.add(row("fit", "--model {hmm-template-poisson.json} --data {reals.json} --stream --out {out}", 2,
                "is a template; fit streams from a full spec"));
        c.add(row("fit", "--model {hmm.json} --data {reals.json} --stream --restarts 2 --out {out}", 2,
                "--restarts is not available when fit streams"));
        c.add(row("fit", "--model {hmm.json} --data {truncated.jsonl} --out {out}", 1, "truncated.jsonl line 2, column"));
        c.add(row("fit", "--model {iohmm-template.json} --data {reals.json} --out {out}", 1,
                "iohmm-template.json: the template does not apply to"));
        c.add(row("fit", "--model {iohmm-lags.json} --data {reals.json} --out {out}", 1, "lags: lags go with \"emission\": \"autoregressive\""));
        // smooth --draws (posterior draws of the hidden states)
        c.add(row("smooth", "--model {hmm.json} --data {reals.json} --draws 0 --out {out}", 2, "--draws must be at least 1, got 0"));
        c.add(row("smooth", "--model {level.json} --data {reals.json} --draws -3 --seed 1 --out {out}", 2, "--draws must be at least 1, got -3"));
        c.add(row("smooth", "--model {hmm.json} --data {reals.json} --draws many --out {out}", 2, "--draws"));
        c.add(row("smooth", "--model {hmm.json} --data {reals.json} --seed 4 --out {out}", 2, "--seed 4 seeds the posterior draws: give --draws N too"));
        c.add(row("smooth", "--model {weather.json} --data {symbols.json} --draws 3 --out {out}", 2,
                "--draws 3: a markov-chain model has no hidden states to draw from their posterior"));
        c.add(row("smooth", "--model {level.json} --data {reals.json} --draws 3 --out {dir}/d.txt", 2, "d.txt: unknown extension"));
        c.add(row("smooth", "--model {level.json} --data {huge.json} --draws 3 --out {out}", 1, "sequence 'b', step 1"));
        // symbols matched by name: an unknown one names the file, sequence, step and value
        c.add(row("filter", "--model {weather.json} --data {foggy.csv} --out {out}", 1,
                "foggy.csv: sequence 's1', step 1: unknown symbol \"foggy\""));
        c.add(row("smooth", "--model {dice.json} --data {foggy.csv} --out {out}", 1, "foggy.csv: sequence 's1', step 0: unknown symbol \"sunny\""));
        c.add(row("decode", "--model {dice.json} --data {snowy.json} --out {out}", 1, "snowy.json: sequence 'w', step 0: unknown symbol \"rainy\""));
        c.add(row("forecast", "--model {weather.json} --data {snowy.json} --steps 2 --out {out}", 1,
                "snowy.json: sequence 'w', step 1: unknown symbol \"snowy\""));
        c.add(row("fit", "--model {weather.json} --data {foggy.csv} --out {out}", 1, "foggy.csv: sequence 's1', step 1: unknown symbol \"foggy\""));
        c.add(row("fit", "--model {weather.json} --data {symbols.json} --validation {snowy.json} --out {out}", 1, "snowy.json: sequence 'w', step 1"));
        c.add(row("filter", "--model {weather.json} --data {unused-name.json} --out {out}", 1, "unused-name.json: symbols[1]: unknown symbol \"hail\""));
        c.add(row("filter", "--model {weather.json} --data {indices.json} --out {out}", 1,
                "indices.json: sequence 's1', step 0: the symbol is given as the index 0, but the model names its symbols"));
        // readers: no Java number suffixes, no Jackson class names
        c.add(row("filter", "--model {level.json} --data {suffix.csv} --out {out}", 1, "suffix.csv: line 3, column \"y\": \"2.5d\" is not a number"));
        c.add(row("fit", "--model {level.json} --data {float-suffix.csv} --out {out}", 1, "float-suffix.csv: line 2, column \"y\": \"1.5f\" is not a number"));
        c.add(row("filter", "--model {level.json} --data {long-number.json} --out {out}", 1, "long-number.json: not valid JSON: Number value length (1201) exceeds the maximum allowed (1000)"));
        c.add(row("smooth", "--model {hmm.json} --data {deep.json} --out {out}", 1, "deep.json: not valid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)"));
        // an engine failure names the data file it ran on
        c.add(row("smooth", "--model {dice.json} --data {b.csv} --out {out}", 1, "b.csv: sequence 's1', step 1"));
        // decode
        c.add(row("decode", "--model {level.json} --data {reals.json} --out {out}", 2, "no discrete hidden path"));
        c.add(row("decode", "--model {hmm.json} --data {symbols.json} --out {out}", 1, "symbols.json"));
        c.add(row("decode", "--model {broken.json} --data {reals.json} --out {out}", 1, "broken.json: line 2"));
        c.add(row("decode", "--model {hmm.json} --data {huge.json} --out {out}", 1, "sequence 'b', step 0"));
        c.add(row("decode", "--model {hmm.json} --data {reals.json} --out {reals.json}", 2, "is the input --data"));
        // forecast
        c.add(row("forecast", "--model {level.json} --data {reals.json} --steps 0 --out {out}", 2, "--steps must be at least 1"));
        c.add(row("forecast", "--model {rnn.json} --data {reals.json} --steps 3 --out {out}", 2, "no exact multi-step forecasts"));
        c.add(row("forecast", "--model {inputs-model.json} --data {inputs-short.json} --steps 3 --out {out}", 2, "--inputs"));
        c.add(row("forecast", "--model {level.json} --data {reals.json} --step 3 --out {out}", 2, "did you mean --steps?"));
        c.add(row("sample", "--model {weather.json} --lenght 5 --seed 1 --out {out}", 2, "did you mean --length?"));
        c.add(row("forecast", "--model {inputs-model.json} --data {inputs-short.json} --steps 3 --inputs {inputs-2.json} --out {out}", 1, "inputs-2.json"));
        c.add(row("forecast", "--model {inputs-model.json} --data {inputs-short.json} --steps 5 --inputs {inputs-short.json} --out {out}", 1, "inputs-short.json"));
        c.add(row("forecast", "--model {level.json} --data {nan-data.json} --steps 2 --out {out}", 1, "nan-data.json"));
        c.add(row("forecast", "--model {explosive.json} --data {reals.json} --steps 2000 --out {out}", 1,
                "sequence 'r', forecast step "));
        c.add(row("forecast", "--model {level.json} --data {huge.json} --steps 2 --out {out}", 1, "sequence 'b', step 1"));
        c.add(row("forecast", "--model {inputs-model.json} --data {inputs-short.json} --steps 2 --inputs {inputs-2.json} --out {inputs-2.json}", 2, "is the input --inputs"));
        // fit
        c.add(row("fit", "--model {level.json} --data {reals.json} --options {options-broken.json} --out {out}", 1, "options-broken.json: line 1"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --options {options-unknown.json} --out {out}", 1, "options-unknown.json: learningrate: unknown field"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --options {options-bad-value.json} --out {out}", 1, "options-bad-value.json: tolerance: must be at least 0"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --options {dir}/nope.json --out {out}", 1, "nope.json: no such file (--options)"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --max-iterations 0 --out {out}", 2, "maxIterations"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --method newton --out {out}", 2, "newton"));
        c.add(row("fit", "--model {weather.json} --data {symbols.json} --method em --out {out}", 1, "em"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --validation {vectors.json} --out {out}", 1, "vectors.json"));
        c.add(row("fit", "--model {level.json} --data {symbols.json} --out {out}", 1, "symbols.json"));
        c.add(row("fit", "--model {hmm-template-typo.json} --data {reals.json} --out {out}", 1,
                "hmm-template-typo.json: emissions: unknown field; did you mean \"emission\"? expected one of type, states, emission"));
        c.add(row("fit", "--model {hmm-template-zero.json} --data {reals.json} --out {out}", 1, "hmm-template-zero.json: states"));
        c.add(row("fit", "--model {chain-template.json} --data {reals.json} --out {out}", 1,
                "chain-template.json: the template does not apply to"));
        c.add(row("fit", "--model {hmm-template-poisson.json} --data {symbols.json} --out {out}", 1,
                "a poisson HMM does not apply to symbols"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --out {dir}", 1, "is a folder"));
        c.add(row("fit", "--model {level.json} --data {all-missing.json} --out {out}", 1,
                "all-missing.json: every one of its 3 steps is missing, so there is nothing to fit"));
        c.add(row("fit", "--model {hmm.json} --data {all-missing.json} --out {out}", 1, "all-missing.json: every one"));
        c.add(row("fit", "--model {level.json} --data {far.json} --out {out}", 1, "far.json: sequence 'far', step 1"));
        // the spec's prior and fit blocks (MAP EM, fixed, tied and bounded parameters)
        c.add(row("fit", "--model {hmm-fit-unknown-path.json} --data {reals.json} --out {out}", 1,
                "hmm-fit-unknown-path.json: fit.fixed[0]: \"emission.mean[0]\" names no parameter of this model; the nearest valid path is \"emission.means[0]\""));
        c.add(row("fit", "--model {level-fit-unknown-path.json} --data {reals.json} --out {out}", 1,
                "level-fit-unknown-path.json: fit.fixed[0]: \"observationVarance\" names no variance of this model; the nearest valid path is \"observationVariance\""));
        c.add(row("fit", "--model {level-fit-bound-excludes-start.json} --data {reals.json} --out {out}", 1,
                "level-fit-bound-excludes-start.json: levelVariance: the starting value 0.5 lies outside its bounds [1.0, 10.0]"));
        c.add(row("fit", "--model {level-fit-bound-typo.json} --data {reals.json} --out {out}", 1,
                "level-fit-bound-typo.json: fit.bounds.levelVarianc: \"levelVarianc\" names no variance of this model; the nearest valid path is \"levelVariance\""));
        c.add(row("fit", "--model {rnn-fit-unknown-weight.json} --data {reals.json} --out {out}", 1,
                "rnn-fit-unknown-weight.json: fit.fixed[0]: \"weights.weigth_hh_l0\" names no weight of this network; the nearest valid path is \"weights.weight_hh_l0\""));
        c.add(row("fit", "--model {rnn-fit-index-out-of-range.json} --data {reals.json} --out {out}", 1,
                "rnn-fit-index-out-of-range.json: fit.fixed[0]: \"weights.weight_hh_l0[9][0]\": index 9 is out of range for weight_hh_l0 of shape 9x3"));
        c.add(row("fit", "--model {hmm-fit-bounds-reversed.json} --data {reals.json} --out {out}", 1,
                "hmm-fit-bounds-reversed.json: fit.bounds.emission.covariances[1]: the lower bound 5.0 is above the upper bound 0.5"));
        c.add(row("fit", "--model {hmm-prior-zero-concentration.json} --data {reals.json} --out {out}", 1,
                "hmm-prior-zero-concentration.json: prior.transition.concentration[1][0]: must be finite and at least 1"));
        c.add(row("fit", "--model {hmm-fit-tie-shapes.json} --data {reals.json} --out {out}", 1,
                "hmm-fit-tie-shapes.json: fit.tied.both[1]: tied parameters must have one shape: emission.covariances[0] is 1x1 but emission.means[1] is 1"));
        // fit --resume from a damaged checkpoint (the same model, data and options as the run that wrote it)
        String em = "--model {hmm.json} --data {reals.json} --max-iterations 10 --tolerance 0 --restarts 1 --out {out} --resume ";
        c.add(row("fit", em + "{ck-negative-iteration.json}", 1, "ck-negative-iteration.json: iteration: -5 is negative"));
        c.add(row("fit", em + "{ck-huge-iteration.json}", 1, "ck-huge-iteration.json: iteration: 1.0E12 is too large"));
        c.add(row("fit", em + "{ck-fraction-iteration.json}", 1, "ck-fraction-iteration.json: iteration: 2.5 is not a whole number"));
        c.add(row("fit", em + "{ck-iteration-beyond.json}", 1, "ck-iteration-beyond.json: iteration: 12 is beyond this run's maxIterations 10"));
        c.add(row("fit", em + "{ck-string-trace.json}", 1, "ck-string-trace.json: trace[1]: \"abc\" is not a number"));
        c.add(row("fit", em + "{ck-short-trace.json}", 1, "ck-short-trace.json: trace: 2 entries do not match iteration 3"));
        c.add(row("fit", em + "{ck-restart-999.json}", 1, "ck-restart-999.json: restart: 999 is beyond this run's restarts 1"));
        c.add(row("fit", em + "{ck-other-type.json}", 1, "ck-other-type.json: model.type: \"local-level\" is not the starting model's type \"hmm\""));
        c.add(row("fit", em + "{ck-no-iteration.json}", 1, "ck-no-iteration.json: iteration: missing"));
        c.add(row("fit", em + "{ck-no-model.json}", 1, "ck-no-model.json: model: missing"));
        c.add(row("fit", em + "{ck-no-stopping.json}", 1, "ck-no-stopping.json: earlyStopping: missing"));
        c.add(row("fit", em + "{ck-restart-not-number.json}", 1, "ck-restart-not-number.json: restart: \"one\" is not a number"));
        c.add(row("fit", em + "{ck-finished-bad.json}", 1, "ck-finished-bad.json: finishedRestarts[0].logLikelihood: \"high\" is not a number"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --max-iterations 10 --out {out} --resume {ck-optimizer-point.json}", 1,
                "ck-optimizer-point.json: optimizer.bestPoint: 1 values do not fit this model's 2 parameters"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --max-iterations 10 --out {out} --resume {ck-optimizer-pass.json}", 1,
                "ck-optimizer-pass.json: optimizer.pass: 2 is above 1"));
        c.add(row("fit", "--model {rnn.json} --data {reals.json} --max-iterations 10 --out {out} --resume {ck-gradient-parameters.json}", 1,
                "ck-gradient-parameters.json: gradient.parameters: 1 values do not fit this model's"));
        String online = "--model {hmm.json} --data {reals.json} --method online-em --chunk 2 --max-iterations 3 --out {out} --resume ";
        c.add(row("fit", online + "{ck-online-statistics.json}", 1,
                "ck-online-statistics.json: online.statistics: 2 values do not fit this model's statistics"));
        c.add(row("fit", online + "{ck-online-no-statistics.json}", 1, "ck-online-no-statistics.json: online: missing"));
        // a checkpoint of another method: the file, the method it holds and the one of this fit
        c.add(row("fit", online + "{ck-em-as-is.json}", 1, "ck-em-as-is.json: method: \"em\": the checkpoint was written by a fit of "
                + "method em, this fit's method is online-em (resume it with method em)"));
        // online EM
        c.add(row("fit", "--model {hmm.json} --data {reals.json} --method online-em --step-exponent 0.4 --out {out}", 2,
                "--step-exponent must be in (0.5, 1] (online EM's step sizes (k + t0)^-A), got 0.4"));
        c.add(row("fit", "--model {hmm.json} --data {reals.json} --method online-em --step-exponent 1.5 --out {out}", 2,
                "--step-exponent must be in (0.5, 1]"));
        c.add(row("fit", "--model {hmm.json} --data {reals.json} --method online-em --chunk 0 --out {out}", 2,
                "--chunk must be at least 1 step, got 0"));
        c.add(row("fit", "--model {hmm.json} --data {reals.json} --method online-em --chunk -5 --out {out}", 2,
                "--chunk must be at least 1 step, got -5"));
        c.add(row("fit", "--model {hmm.json} --data {reals.json} --method online-em --batch-size 0 --out {out}", 2,
                "--batch-size must be at least 1, got 0"));
        c.add(row("fit", "--model {hmm.json} --data {reals.json} --options {options-step-exponent.json} --out {out}", 1,
                "options-step-exponent.json: stepExponent: must be in (0.5, 1]"));
        c.add(row("fit", "--model {rnn.json} --data {reals.json} --method online-em --out {out}", 1,
                "a rnn model cannot be fitted by online-em (online EM needs expected sufficient statistics"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --method online-em --out {out}", 1,
                "cannot be fitted by online-em"));
        c.add(row("fit", "--model {hmm.json} --data {reals.json} --method online-em --restarts 2 --out {out}", 1,
                "online EM runs from one start; restarts 2 need method em"));
        c.add(row("fit", "--model {hmm.json} --data {reals.json} --method newton --out {out}", 2,
                "--method must be one of auto, closed-form, em, optimizer, gradient, online-em; got \"newton\""));
        c.add(row("fit", "--model {level.json} --data {reals.json} --out {out} --report {out}", 2, "are the same file"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --out {out} --checkpoint {reals.json}", 2, "--checkpoint"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --out {level.json}", 2, "is the input --model"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --validation {reals.json} --out {out} --report {reals.json}", 2, "is the input"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --out {out} --options {options-unknown.json} --checkpoint {options-unknown.json}", 2, "is the input --options"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --out - --report -", 2, "are the same output"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --out {out} --checkpoint -", 2, "standard output cannot take a checkpoint"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --out {out} --report {dir}", 1, "is a folder"));
        // analyze
        c.add(row("analyze", "--model {hmm.json} --out {out}", 2, "analyze works on markov-chain models"));
        c.add(row("analyze", "--model {broken.json} --out {out}", 1, "broken.json: line 2"));
        c.add(row("analyze", "--model {dir}/nope.json --json --out {out}", 1, "nope.json: no such file"));
        c.add(row("analyze", "--model {normalize-zero-row.json} --out {out}", 1, "transition[1]: cannot normalise"));
        c.add(row("analyze", "--model {weather.json} --out {weather.json}", 2, "is the input --model"));
        // compare
        // explicit-duration HMM specs
        c.add(row("sample", "--model {hsmm-self.json} --length 5 --seed 1 --out {out}", 1,
                "hsmm-self.json: transition[0][0]: is 0.5, but a state of an explicit-duration HMM never follows itself"));
        c.add(row("filter", "--model {hsmm-no-max.json} --data {reals.json} --out {out}", 1,
                "hsmm-no-max.json: maxDuration: is required when a state has a negative-binomial duration"));
        c.add(row("smooth", "--model {hsmm-long-table.json} --data {reals.json} --out {out}", 1,
                "hsmm-long-table.json: durations[0].probabilities: has 3 entries, expected 1..2 (maxDuration)"));
        c.add(row("decode", "--model {hsmm-bad-rate.json} --data {reals.json} --out {out}", 1,
                "hsmm-bad-rate.json: durations[0].rate: must be positive, got -3"));
        c.add(row("smooth", "--model {hsmm.json} --data {huge.json} --out {out}", 1, "sequence 'b', step 0"));
        c.add(row("decode", "--model {hsmm.json} --data {symbols.json} --out {out}", 1, "symbols.json"));
        c.add(row("fit", "--model {hsmm.json} --data {all-missing.json} --out {out}", 1, "all-missing.json: every one"));
        c.add(row("compare", "{dir}/nope.json --out {out}", 1, "nope.json: no such file"));
        c.add(row("compare", "{study-broken.json} --out {out}", 1, "study-broken.json: line 1"));
        c.add(row("unroll", "--model {rnn-hmm-covariance.json} --steps 3 --out {out}", 1,
                "rnn-hmm-covariance.json: layers[0].emission.covariance: a covariance structure is for a gaussian or mixture "
                        + "emission, not categorical"));
        c.add(row("unroll", "--model {rnn-gain-diagonal.json} --steps 3 --out {out}", 1,
                "rnn-gain-diagonal.json: layers[0].diagonalNoise: diagonal noise is for a kalman layer with the covariance "
                        + "recursion (no learned gain), not one with a learned gain"));
        c.add(row("unroll", "--model {rnn-gru-gain.json} --steps 3 --out {out}", 1,
                "rnn-gru-gain.json: layers[0].learnedGain: a learned gain is for a kalman layer, not gru"));
        c.add(row("compare", "{study-unknown-type.json} --out {out}", 1, "study-unknown-type.json: models[0].template.type: unknown model type \"arima\""));
        c.add(row("compare", "{study-unknown-builtin.json} --out {out}", 1, "no built-in dataset \"sunspot\""));
        c.add(row("compare", "{study-missing-data.json} --out {out}", 1, "no-such-data.json: no such file"));
        c.add(row("compare", "{study-bad-field.json} --out {out}", 1, "study-bad-field.json: split.train: must be between 0 and 1"));
        c.add(row("compare", "{study-unknown-type.json} --threads 0 --out {out}", 2, "--threads"));
        c.add(row("compare", "{study-bad-level.json} --out {out}", 1, "study-bad-level.json: levels[1]: a central interval level must be between 0 and 1 (exclusive), got 1.2"));
        c.add(row("compare", "{study-bad-significance.json} --out {out}", 1, "study-bad-significance.json: significance: must be between 0 and 1 (exclusive), got 0.0"));
        c.add(row("compare", "{study-bad-burn.json} --out {out}", 1, "study-bad-burn.json: burn: must be a number of steps, at least 0, got -3"));
        c.add(row("compare", "{study-bad-smoothing.json} --out {out}", 1, "study-bad-smoothing.json: models[0].template.pseudoCount: must be at least 0.0, got -0.5"));
        c.add(row("compare", "{study-ok.json} --quick --out {out}", 2, "--quick chooses the built-in quick study"));
        c.add(row("compare", "{study-same-file-models.json} --out {out}", 1, "models[1].name: the model names \"a/b\" and \"a_b\" give the same file name \"a_b\""));
        c.add(row("compare", "{study-same-file-datasets.json} --out {out}", 1, "datasets[1].name: the dataset names \"Real\" and \"real\" give the same file name"));
        c.add(row("compare", "{study-empty-model-name.json} --out {out}", 1, "models[0].name: a model name must not be empty"));
        c.add(row("compare", "{study-empty-dataset-name.json} --out {out}", 1, "datasets[0].name: a dataset name must not be empty"));
        c.add(row("compare", "{study-ok.json} --out {dir}", 1, "is not an earlier study's output"));
        c.add(row("compare", "{study-unknown-type.json} --out {study-unknown-type.json}", 2, "is the input STUDY.json"));
        c.add(row("compare", "{study-unknown-type.json} --out -", 2, "standard output cannot take a folder"));
        c.add(row("compare", "{study-unknown-type.json} --out {weather.json}", 1, "is not a folder"));
        // datasets
        c.add(row("datasets", "sunspot --out {out}", 2, "no built-in dataset \"sunspot\""));
        c.add(row("datasets", "nile --out {dir}", 1, "is a folder"));
        c.add(row("datasets", "nile extra --out {out}", 2, "extra"));
        c.add(row("datasets", "nile --out {dir}/./", 1, "is a folder"));
        c.add(row("datasets", "nile --json --out {dir}/nile.csv", 2, "--json and --out"));
        // plot
        c.add(row("plot", "--result {dir}/nope.json --out {out}", 1, "nope.json: no such file (--result)"));
        c.add(row("plot", "--result {broken.json} --out {out}", 1, "broken.json: line 2"));
        c.add(row("plot", "--result {not-a-result.json} --out {out}", 1, "not-a-result.json"));
        c.add(row("plot", "--result {weather.json} --out {out}", 1, "weather.json"));
        c.add(row("plot", "--result {decode-unknown-state.json} --out {out}", 1,
                "decode-unknown-state.json: sequences[0]: viterbiPath[1]: \"windy\" is not one of the states [calm, storm]"));
        c.add(row("plot", "--result {states-not-names.json} --out {out}", 1,
                "states-not-names.json: states: expected a list of distinct names, got \"calm\""));
        c.add(row("plot", "--result {result-unknown-kind.json} --out {out}", 1, "result-unknown-kind.json: result: "
                + "expected one of \"filter\", \"smooth\", \"decode\", \"forecast\", got \"filtered\""));
        c.add(row("plot", "--result {result-newer-version.json} --out {out}", 1,
                "result-newer-version.json: version: this statespace reads result files of version 1 to 1, got 2"));
        c.add(row("plot", "--result {filter-summaries-apart.json} --out {out}", 1,
                "filter-summaries-apart.json: sequences[0]: the predictive summaries differ in length"));
        c.add(row("plot", "--result {decode-unknown-field.json} --out {out}", 1,
                "decode-unknown-field.json: state: unknown field; did you mean \"states\"?"));
        c.add(row("plot", "--result {study-result-unknown-field.json} --out {out}", 1,
                "study-result-unknown-field.json: row: unknown field; did you mean \"rows\"?"));
        c.add(row("plot", "--result {reals.json}", 2, "--out"));
        c.add(row("plot", "--result {study-result-empty-name.json} --out {out}", 1, "study-result-empty-name.json: rows[0].model: must not be empty"));
        c.add(row("plot", "--result {reals.json} --out {reals.json}", 2, "is the input --result"));
        c.add(row("plot", "--result {reals.json} --out {weather.json}", 1, "is not a folder"));
        // unroll
        c.add(row("unroll", "--model {weather.json} --steps 3 --out {out}", 1, "unroll takes an rnn"));
        c.add(row("unroll", "--model {rnn.json} --steps 0 --out {out}", 2, "--steps must be between 1 and 100000"));
        c.add(row("unroll", "--model {rnn.json} --steps 3 --format gif --out {out}", 2, "--format"));
        c.add(row("unroll", "--model {unknown-type.json} --steps 3 --out {out}", 1, "unknown model type"));
        c.add(row("unroll", "--model {rnn.json} --steps 3 --out {rnn.json}", 2, "is the input --model"));
        c.add(row("unroll", "--model {rnn.json} --steps 3 --format png --out -", 2, "--format png needs --out"));
        c.add(row("unroll", "--model {rnn-bad-initial.json} --steps 3 --out {out}", 1,
                "rnn-bad-initial.json: layers[0].initialState: expected 3 numbers, got 1"));
        c.add(row("unroll", "--model {rnn-gru-cell.json} --steps 3 --out {out}", 1,
                "layers[0].initialCell: only an LSTM layer has a cell, this one is gru"));
        c.add(row("unroll", "--model {rnn.json} --steps 3 --json --out {out}", 2, "--json goes with --analyze"));
        c.add(row("unroll", "--model {rnn.json} --steps 3 --analyze --format dot --out {out}", 2,
                "--analyze prints the analysis, --format and --layout export the graph"));
        c.add(row("unroll", "--model {rnn.json} --steps 3 --layout depth --out {out}", 2, "--layout is for --format png or svg, not dot"));
        c.add(row("unroll", "--model {rnn.json} --steps 3 --format png --layout grid --out {out}", 2, "--layout"));
        // the loop 3 -> 0 at delay 1 costs 4 links per step: D(60) = 4 * 60 + 1 = 241 links, so 242 columns
        c.add(row("unroll", "--model {rnn-loop.json} --steps 60 --format png --layout depth --out {out}", 2,
                "--steps: the depth layout of 60 steps needs 242 columns, at most 160"));
        // convert
        c.add(row("convert", "--model {dir}/nope.json --to rnn --out {out}", 1, "nope.json: no such file (--model)"));
        c.add(row("convert", "--model {rnn.json} --to rnn --out {out}", 1,
                "rnn.json: type: a model of type \"rnn\" is already an rnn"));
        c.add(row("convert", "--model {rnn-gru-diffuse.json} --to rnn --out {out}", 1,
                "rnn-gru-diffuse.json: layers[0].diffuseStates: diffuse states are for a kalman layer, not gru"));
        c.add(row("unroll", "--model {rnn-gru-feedthrough.json} --steps 3 --out {out}", 1,
                "rnn-gru-feedthrough.json: layers[0].feedthrough: a feedthrough is for a kalman layer, not gru"));
        c.add(row("equivalent", "{rnn-kalman-diffuse-range.json} {level.json} --data {reals.json}", 1,
                "rnn-kalman-diffuse-range.json: layers[0].diffuseStates[1]: state index must be between 0 and 1, got 2"));
        c.add(row("filter", "--model {rnn-kalman-diffuse-twice.json} --data {reals.json} --out {out}", 1,
                "rnn-kalman-diffuse-twice.json: layers[0].diffuseStates[1]: state 1 is listed twice"));
        c.add(row("convert", "--model {weather.json} --to hmm --out {out}", 2, "--to hmm: the only family a model converts to is rnn"));
        c.add(row("convert", "--model {weather.json} --to rnn --out {dir}/r.csv", 2, "a converted model is a JSON spec"));
        c.add(row("convert", "--model {weather.json} --out {out}", 2, "--to"));
        // equivalent
        c.add(row("equivalent", "{weather.json} {weather.json} --data {reals.json}", 1, "reals.json"));
        c.add(row("equivalent", "{weather.json} {level.json} --data {symbols.json}", 1,
                "the two models predict different observations"));
        c.add(row("equivalent", "{weather.json} {weather.json} --data {symbols.json} --tolerance -1", 2,
                "--tolerance must be a finite number >= 0, got -1.0"));
        c.add(row("equivalent", "{weather.json} --data {symbols.json}", 2, "B.json"));
        c.add(row("equivalent", "{weather.json} {dir}/nope.json --data {symbols.json}", 1, "nope.json: no such file"));
        // types
        c.add(row("types", "extra", 2, "extra"));
        c.add(row("types", "--frobnicate", 2, "--frobnicate"));
        // schema
        c.add(row("schema", "hmn --out {out}", 2, "no schema \"hmn\"; did you mean \"hmm\"?"));
        c.add(row("schema", "studdy --out {out}", 2, "did you mean \"study\"?"));
        c.add(row("schema", "hmm --out {dir}/hmm.txt", 2, "hmm.txt: expected a .json file"));
        c.add(row("schema", "--markdown --out {out}", 2, "expected a .md file"));
        c.add(row("schema", "--markdown hmm --out {dir}/ref.md", 2, "--markdown prints every kind; give no NAME"));
        c.add(row("schema", "--out {out}", 2, "--out writes one schema; give a NAME"));
        c.add(row("schema", "hmm --out {dir}", 1, "is a folder"));
        c.add(row("schema", "hmm extra --out {out}", 2, "extra"));
        c.add(row("schema", "hmm --frobnicate --out {out}", 2, "--frobnicate"));
        return c.stream();
    }

    private static Arguments row(String command, String arguments, int exitCode, String expected) {
        return Arguments.of(command + " " + arguments, exitCode, expected);
    }

    @BeforeAll
    void writeFiles() throws IOException {
        dir = Files.createTempDirectory("statespace-bad-input");
        for (String[] f : FILES) {
            Files.writeString(dir.resolve(f[0]), f[1]);
        }
        for (String[] run : CHECKPOINT_RUNS) {
            Path ck = dir.resolve(run[0]);
            List<String> args = new ArrayList<>(List.of("fit"));
            args.addAll(List.of(substitute(run[1], dir.resolve("fitted-" + run[0]))));
            args.addAll(List.of("--checkpoint", ck.toString(), "--out", dir.resolve("fitted-" + run[0]).toString()));
            CliRunner r = CliRunner.run(args.toArray(new String[0]));
            assertThat(r.exitCode()).as("the fit that writes %s: %s", run[0], r.err()).isZero();
            Files.delete(dir.resolve("fitted-" + run[0]));
        }
        for (Object[] d : DAMAGED) {
            ObjectNode c = (ObjectNode) Json.read(dir.resolve((String) d[1]));
            @SuppressWarnings("unchecked")
            Consumer<ObjectNode> damage = (Consumer<ObjectNode>) d[2];
            damage.accept(c);
            Files.writeString(dir.resolve((String) d[0]), Json.write(c));
        }
    }

    /** The words of a command line with {dir}, {out} and every {file} replaced by its path. */
    private String[] substitute(String commandLine, Path out) {
        List<String> args = new ArrayList<>();
        for (String word : commandLine.split(" ")) {
            String w = word.replace("{dir}", dir.toString()).replace("{out}", out.toString());
            for (String[] f : FILES) {
                w = w.replace("{" + f[0] + "}", dir.resolve(f[0]).toString());
            }
            for (Object[] d : DAMAGED) {
                w = w.replace("{" + d[0] + "}", dir.resolve((String) d[0]).toString());
            }
            args.add(w);
        }
        return args.toArray(new String[0]);
    }

    @AfterAll
    void deleteFiles() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineNoTraceRightExitCodeNothingWritten(String commandLine, int exitCode, String expected) throws IOException {
        Path out = dir.resolve("out-" + Integer.toHexString(commandLine.hashCode()) + ".json");
        List<String> args = List.of(substitute(commandLine, out));
        commandsCovered.add(args.get(0));
        long filesBefore = countFiles();
        CliRunner r = CliRunner.run(args.toArray(new String[0]));
        String[] lines = r.errorLines();
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(exitCode);
        assertThat(lines).as("stderr").isNotEmpty();
        assertThat(lines[0]).startsWith("error: ").contains(expected);
        if (exitCode == 1) {
            assertThat(lines).as("stderr").hasSize(1);
        } else {
            assertThat(lines.length).as("stderr: %s", r.err()).isLessThanOrEqualTo(2);
            if (lines.length == 2) {
                assertThat(lines[1]).startsWith("Run '").endsWith("--help' for usage.");
            }
        }
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(out).doesNotExist();
        assertThat(countFiles()).as("files in the folder (a temporary file left behind?)").isEqualTo(filesBefore);
        for (String[] f : FILES) {
            assertThat(Files.readString(dir.resolve(f[0]))).as("the input %s after the command", f[0]).isEqualTo(f[1]);
        }
    }

    private long countFiles() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.count();
        }
    }

    @Test
    void everyCommandIsInTheTable() {
        Set<String> listed = new LinkedHashSet<>();
        cases().forEach(a -> listed.add(((String) a.get()[0]).split(" ")[0]));
        assertThat(listed).containsExactlyInAnyOrder("sample", "filter", "smooth", "decode", "forecast", "fit",
                "analyze", "compare", "datasets", "plot", "unroll", "types", "schema", "convert",
                "equivalent");
    }
}
