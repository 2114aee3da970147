#!/usr/bin/python3
"""Peer timing for HmmBenchmark: pomegranate 0.14 (Debian's python3-pomegranate, compiled Cython).

Times forward_backward (posteriors and expected transitions), log_probability, and one Baum-Welch
iteration (summarize + from_summaries, i.e. one E-step and one M-step) for every K of the benchmark's grid
(K in {2, 5, 10, 50, 200}, 1-D Gaussian emissions, T = 10^5), on the same model and observations as the
JMH benchmark (its main writes them):

    apt-get install -y python3-pomegranate
    java -cp benchmarks/target/benchmarks.jar org.statespace.benchmarks.HmmBenchmark /tmp/hmm-bench
    /usr/bin/python3 benchmarks/peers/hmm_pomegranate.py /tmp/hmm-bench [REPEATS] [K ...]

or, for one model and data file (the older form): hmm_pomegranate.py MODEL.json DATA.json [REPEATS].
It prints the log-likelihood too, so the two implementations can be checked to agree on the data.
"""
import json
import os
import statistics
import sys
import time

import numpy
import pomegranate
from pomegranate import HiddenMarkovModel, NormalDistribution


def build(spec):
    emission = spec["emission"]
    if emission["type"] != "gaussian" or len(emission["means"][0]) != 1:
        raise SystemExit("this peer handles 1-D Gaussian emissions only")
    kind = emission["covarianceType"]
    k = len(spec["initial"])
    variances = [emission["covariances"][i] if kind == "spherical"
                 else emission["covariances"][i][0] if kind == "diagonal"
                 else emission["covariances"][i][0][0] if kind == "full"
                 else emission["covariances"][0][0] for i in range(k)]
    dists = [NormalDistribution(emission["means"][i][0], variances[i] ** 0.5) for i in range(k)]
    return HiddenMarkovModel.from_matrix(numpy.array(spec["transition"]), dists, numpy.array(spec["initial"]))


def timed(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def run(spec, data, repeats):
    seq = numpy.array(data["sequences"][0]["observations"], dtype=float)
    model = build(spec)
    k = len(spec["initial"])
    cells = []
    for fn in (lambda: model.forward_backward(seq), lambda: model.log_probability(seq)):
        median, best = timed(fn, repeats)
        cells.append("%.1f / %.1f" % (1e3 * best, 1e3 * median))

    def one_iteration():
        m = model.copy()
        m.summarize([seq], algorithm="baum-welch")
        m.from_summaries()

    median, best = timed(one_iteration, repeats)
    cells.append("%.1f / %.1f" % (1e3 * best, 1e3 * median))
    print("| %d | %d | %.10f | %s |" % (k, len(seq), model.log_probability(seq), " | ".join(cells)), flush=True)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    print("pomegranate %s; ms best / median" % pomegranate.__version__)
    print("| K | T | log-likelihood | forward_backward | log_probability | Baum-Welch iteration |")
    print("|---|---|---|---|---|---|")
    if os.path.isdir(sys.argv[1]):
        repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
        grid = [int(k) for k in sys.argv[3:]] or [2, 5, 10, 50, 200]
        for k in grid:
            spec = json.load(open(os.path.join(sys.argv[1], "hmm-k%d-model.json" % k)))
            data = json.load(open(os.path.join(sys.argv[1], "hmm-k%d-data.json" % k)))
            run(spec, data, repeats)
    else:
        if len(sys.argv) < 3:
            raise SystemExit(__doc__)
        repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
        run(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), repeats)


if __name__ == "__main__":
    main()
