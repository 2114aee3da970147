#!/usr/bin/python3
"""Peer of RnnBenchmark: one LSTM or GRU training step in PyTorch (Debian python3-torch), over the same grid.

The same step as the Java benchmark: a one-layer LSTM or GRU and a linear head back to the input size, on
a batch of sequences of 100 steps; forward, squared-error loss, backpropagation through time, one Adam
step. The input at step t is the previous observation (zeros at t = 0), the target the current one, as
the statespace engine feeds an RNN. Grid: (input, hidden, batch) in {(8, 32, 1), (32, 128, 32),
(64, 512, 64)} x {LSTM, GRU} x {float32, float64} x {1, 2} torch threads.

    apt-get install -y python3-torch
    /usr/bin/python3 benchmarks/peers/lstm_torch.py                       # the whole grid
    /usr/bin/python3 benchmarks/peers/lstm_torch.py --cells GRU --shapes 32x128x32 --threads 2
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/lstm_torch.py

Prints one table row per configuration: milliseconds per step (median and mean of the timed steps).
"""
import argparse
import os
import statistics
import time

import torch

SHAPES = ["8x32x1", "32x128x32", "64x512x64"]


def run(cell, shape, dtype, steps, warmup):
    torch.manual_seed(1)
    inputs, hidden, batch = (int(x) for x in shape.split("x"))
    length = 100
    network = getattr(torch.nn, cell)(inputs, hidden).to(dtype)
    head = torch.nn.Linear(hidden, inputs).to(dtype)
    params = list(network.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    observations = torch.randn(length, batch, inputs, dtype=dtype)
    x = torch.cat([torch.zeros(1, batch, inputs, dtype=dtype), observations[:-1]])
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        output, _ = network(x)
        prediction = head(output)
        loss = 0.5 * ((prediction - observations) ** 2).sum(dim=2).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        optimizer.step()
        elapsed = time.perf_counter() - start
        if i >= warmup:
            times.append(elapsed * 1000)
    return statistics.median(times), statistics.mean(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--cells", nargs="+", default=["LSTM", "GRU"], choices=["LSTM", "GRU"])
    parser.add_argument("--shapes", nargs="+", default=SHAPES, choices=SHAPES)
    parser.add_argument("--dtypes", nargs="+", default=["float32", "float64"], choices=["float32", "float64"])
    args = parser.parse_args()
    print(f"torch {torch.__version__}, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; "
          f"ms per training step, median / mean of {args.steps} after {args.warmup} warm-up steps")
    print("| cell | input x hidden x batch | dtype | threads | median | mean |")
    print("|---|---|---|---|---|---|")
    for cell in args.cells:
        for shape in args.shapes:
            for dtype in args.dtypes:
                for threads in args.threads:
                    torch.set_num_threads(threads)
                    median, mean = run(cell, shape, getattr(torch, dtype), args.steps, args.warmup)
                    print(f"| {cell} | {shape} | {dtype} | {threads} | {median:.1f} | {mean:.1f} |", flush=True)


if __name__ == "__main__":
    main()
