#!/usr/bin/python3
"""Peer timing for HmmBenchmark: pomegranate 0.14 (Debian's python3-pomegranate, compiled Cython).

Times forward_backward (posteriors and expected transitions), log_probability, and one Baum-Welch
iteration (summarize + from_summaries, i.e. one E-step and one M-step) on the same K = 10 Gaussian HMM
and the same T = 10^5 observations as the JMH benchmark:

    ./statespace sample --model benchmarks/src/main/resources/org/statespace/benchmarks/hmm-k10-gaussian.json \
        --length 100000 --seed 1 --out /tmp/hmm-k10-data.json
    /usr/bin/python3 benchmarks/peers/hmm_pomegranate.py \
        benchmarks/src/main/resources/org/statespace/benchmarks/hmm-k10-gaussian.json /tmp/hmm-k10-data.json

It prints the log-likelihood too, so the two implementations can be checked to agree on the data.
"""
import json
import statistics
import sys
import time

import numpy
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


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    spec = json.load(open(sys.argv[1]))
    data = json.load(open(sys.argv[2]))
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    seq = numpy.array(data["sequences"][0]["observations"], dtype=float)
    model = build(spec)
    print("pomegranate HMM: K=%d, T=%d, %d repeats" % (len(spec["initial"]), len(seq), repeats))
    print("log-likelihood %.10f" % model.log_probability(seq))
    for name, fn in [("forward_backward", lambda: model.forward_backward(seq)),
                     ("log_probability", lambda: model.log_probability(seq))]:
        median, best = timed(fn, repeats)
        print("%-22s median %8.1f ms   min %8.1f ms" % (name, 1e3 * median, 1e3 * best))

    def one_iteration():
        m = model.copy()
        m.summarize([seq], algorithm="baum-welch")
        m.from_summaries()

    median, best = timed(one_iteration, repeats)
    print("%-22s median %8.1f ms   min %8.1f ms" % ("baum-welch iteration", 1e3 * median, 1e3 * best))


if __name__ == "__main__":
    main()
