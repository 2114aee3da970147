#!/usr/bin/env python3
"""Times statsmodels' Kalman filter log-likelihood on every shape of KalmanBenchmark's grid.

Peer of benchmarks/src/main/java/org/statespace/benchmarks/KalmanBenchmark.java: n states in
{1, 2, 4, 8, 16, 32} x m observations in {1, 2, 4, 8} with m <= 2n, T = 10^5 steps, known initial state,
the same random model and data per shape (the benchmark's main writes them). Uses Debian's
python3-statsmodels:

    apt-get install -y python3-statsmodels
    java -cp benchmarks/target/benchmarks.jar org.statespace.benchmarks.KalmanBenchmark /tmp/kalman-bench
    /usr/bin/python3 benchmarks/peers/kalman_statsmodels.py /tmp/kalman-bench [REPETITIONS] [nN-mM ...]

statsmodels stops updating the covariances once the predicted covariance stops changing (its
"steady-state" shortcut, KalmanFilter.tolerance, default 1e-19); tolerance 0 turns the shortcut off.
Both are timed, each on a fresh call of ssm.loglike(), best and median of several repetitions, and
printed as one table (milliseconds per log-likelihood of the whole series) with the log-likelihood,
to be checked against the benchmark main's.
"""
import glob
import json
import os
import re
import statistics
import sys
import time

import numpy as np
import statsmodels
from statsmodels.tsa.statespace.mlemodel import MLEModel


def build(spec, y):
    n = len(spec["transitionMatrix"])
    model = MLEModel(y, k_states=n, initialization="known",
                     initial_state=np.array(spec["initialMean"], dtype=float),
                     initial_state_cov=np.array(spec["initialCovariance"], dtype=float))
    model["design"] = np.array(spec["observationMatrix"], dtype=float)
    model["obs_cov"] = np.array(spec["observationNoise"], dtype=float)
    model["transition"] = np.array(spec["transitionMatrix"], dtype=float)
    model["selection"] = np.eye(n)
    model["state_cov"] = np.array(spec["processNoise"], dtype=float)
    return model


def timed(ssm, repetitions):
    ssm.loglike()  # warm-up (allocations, Cython paths)
    times = []
    value = None
    for _ in range(repetitions):
        start = time.perf_counter()
        value = ssm.loglike()
        times.append(time.perf_counter() - start)
    return value, min(times), statistics.median(times)


def shapes(folder, wanted):
    found = []
    for path in glob.glob(os.path.join(folder, "kalman-n*-m*-model.json")):
        match = re.search(r"kalman-n(\d+)-m(\d+)-model\.json$", path)
        n, m = int(match.group(1)), int(match.group(2))
        if not wanted or f"n{n}-m{m}" in wanted:
            found.append((n, m))
    if not found:
        raise SystemExit(f"no kalman-nN-mM-model.json in {folder}: run KalmanBenchmark's main first\n\n{__doc__}")
    return sorted(found)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/kalman-bench"
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    wanted = set(sys.argv[3:])
    print(f"statsmodels {statsmodels.__version__}, numpy {np.__version__}, {repetitions} repetitions; "
          "ms per log-likelihood of the series (best / median)")
    print(f"| n | m | T | log-likelihood | without shortcut (tolerance 0) | with shortcut (1e-19) | steady from step |")
    print("|---|---|---|---|---|---|---|")
    for n, m in shapes(folder, wanted):
        name = f"kalman-n{n}-m{m}"
        with open(os.path.join(folder, name + "-model.json")) as f:
            spec = json.load(f)
        y = np.loadtxt(os.path.join(folder, name + "-data.csv"), delimiter=",", skiprows=1, ndmin=2)
        ssm = build(spec, y).ssm
        cells = []
        value = None
        for tolerance in (0.0, 1e-19):
            ssm.tolerance = tolerance
            value, best, median = timed(ssm, repetitions)
            cells.append(f"{best * 1e3:.1f} / {median * 1e3:.1f}")
        result = ssm.filter(conserve_memory=0)
        steady = str(result.period_converged) if result.converged else "never"
        print(f"| {n} | {m} | {y.shape[0]} | {value:.10f} | {cells[0]} | {cells[1]} | {steady} |", flush=True)


if __name__ == "__main__":
    main()
