"""Batch-1 inference of a 4-64-64-2 tanh network in PyTorch, one thread: calls per second.

One call = an observation (4 Python floats, as an RL loop has them) to a tensor, the forward pass
under torch.no_grad(), and the two outputs read back as Python floats: what an agent does per
environment step. Prints one JSON line per round: {"calls": n, "seconds": s}.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/rl_inference_torch.py [calls] [rounds]
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(), torch.nn.Linear(64, 2))
calls = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
obs = [0.1, 0.2, 0.3, 0.4]
total = 0.0
with torch.no_grad():
    for _ in range(2000):  # warm-up
        y = net(torch.tensor([obs])).tolist()
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(calls):
            obs[0] = i * 1e-6
            y = net(torch.tensor([obs])).tolist()
            total += y[0][0]
        print(json.dumps({"calls": calls, "seconds": time.perf_counter() - start}), flush=True)
