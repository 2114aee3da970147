#!/usr/bin/env python3
"""Times statsmodels' Kalman filter log-likelihood on the model and data of KalmanBenchmark.

Peer of benchmarks/src/main/java/org/statespace/benchmarks/KalmanBenchmark.java (n = 4 states,
m = 2 observations, T = 10^5 steps, known initial state). Uses Debian's python3-statsmodels:

    apt-get install -y python3-statsmodels
    java -cp benchmarks/target/benchmarks.jar org.statespace.benchmarks.KalmanBenchmark /tmp/kalman-bench
    /usr/bin/python3 benchmarks/peers/kalman_statsmodels.py /tmp/kalman-bench

statsmodels stops updating the covariances once the predicted covariance stops changing (its
"steady-state" shortcut, KalmanFilter.tolerance, default 1e-19); tolerance 0 turns the shortcut off.
Both are timed, each on a fresh call of ssm.loglike(), best and median of several repetitions.
"""
import json
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


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/kalman-bench"
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    with open(f"{folder}/kalman-model.json") as f:
        spec = json.load(f)
    y = np.loadtxt(f"{folder}/kalman-data.csv", delimiter=",", skiprows=1)
    model = build(spec, y)
    ssm = model.ssm
    steps = y.shape[0]
    print(f"statsmodels {statsmodels.__version__}, numpy {np.__version__}, T = {steps}")
    for label, tolerance in (("without steady-state shortcut (tolerance 0)", 0.0),
                             ("with steady-state shortcut (tolerance 1e-19, the default)", 1e-19)):
        ssm.tolerance = tolerance
        value, best, median = timed(ssm, repetitions)
        result = ssm.filter(conserve_memory=0)
        steady = f"from step {result.period_converged}" if result.converged else "never"
        print(f"{label}: loglike {value:.10f}  best {best * 1e3:.2f} ms  median {median * 1e3:.2f} ms  "
              f"({best / steps * 1e9:.0f} ns/step); steady state {steady}")


if __name__ == "__main__":
    main()
