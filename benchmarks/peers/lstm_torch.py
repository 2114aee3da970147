#!/usr/bin/python3
"""Peer of RnnBenchmark.lstmTrainingStep: one LSTM training step in PyTorch (Debian python3-torch).

The same step as the Java benchmark: an LSTM with input 32 and hidden 128 and a linear head back to 32
outputs, on a batch of 32 sequences of 100 steps; forward, squared-error loss, backpropagation through
time, one Adam step. The input at step t is the previous observation (zeros at t = 0), the target the
current one, as the statespace engine feeds an RNN.

    python3 benchmarks/peers/lstm_torch.py                          # 2 torch threads, default BLAS threads
    OPENBLAS_NUM_THREADS=1 python3 benchmarks/peers/lstm_torch.py   # its best configuration here

Prints milliseconds per step (median and mean of the timed steps) for float32 (PyTorch's default) and
float64 (the precision the Java implementation computes in).
"""
import argparse
import os
import statistics
import time

import torch


def run(dtype, steps, warmup):
    torch.manual_seed(1)
    inputs, hidden, batch, length = 32, 128, 32, 100
    lstm = torch.nn.LSTM(inputs, hidden).to(dtype)
    head = torch.nn.Linear(hidden, inputs).to(dtype)
    params = list(lstm.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    observations = torch.randn(length, batch, inputs, dtype=dtype)
    x = torch.cat([torch.zeros(1, batch, inputs, dtype=dtype), observations[:-1]])
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        output, _ = lstm(x)
        prediction = head(output)
        loss = 0.5 * ((prediction - observations) ** 2).sum(dim=2).mean()
        loss.backward()
        optimizer.step()
        elapsed = time.perf_counter() - start
        if i >= warmup:
            times.append(elapsed * 1000)
    return statistics.median(times), statistics.mean(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, torch threads {torch.get_num_threads()}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    for dtype in (torch.float32, torch.float64):
        median, mean = run(dtype, args.steps, args.warmup)
        print(f"{str(dtype):14s} median {median:7.1f} ms/step  mean {mean:7.1f} ms/step  "
              f"({1000 / median:.1f} steps/s)")


if __name__ == "__main__":
    main()
