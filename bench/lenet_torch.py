"""PyTorch contender of bench/lenet.ts: the LeNet-style training step with the same weights and batches.

/usr/bin/python3 bench/lenet_torch.py SETUP.json  (OPENBLAS_NUM_THREADS=1; one torch thread). The set-up
file holds the weights (purenet's HWIO conv kernels and [in, out] dense weights), the images (NHWC, 28x28x1)
and the one-hot labels of every batch. Commands on stdin, one a line: "steps N" trains the next N batches
(cycling) and prints {"ms": wall time, "losses": [...]}.
"""
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)


def main():
    with open(sys.argv[1]) as fh:
        s = json.load(fh)
    t = lambda a, shape: torch.tensor(a, dtype=torch.float32).reshape(shape)
    w1 = t(s['w1'], [5, 5, 1, 16]).permute(3, 2, 0, 1).contiguous().requires_grad_()
    b1 = t(s['b1'], [16]).requires_grad_()
    w2 = t(s['w2'], [5, 5, 16, 32]).permute(3, 2, 0, 1).contiguous().requires_grad_()
    b2 = t(s['b2'], [32]).requires_grad_()
    # purenet flattens NHWC; PyTorch's NCHW activations are permuted to NHWC before the dense layer
    w3 = t(s['w3'], [800, 128]).t().contiguous().requires_grad_()
    b3 = t(s['b3'], [128]).requires_grad_()
    w4 = t(s['w4'], [128, 10]).t().contiguous().requires_grad_()
    b4 = t(s['b4'], [10]).requires_grad_()
    params = [w1, b1, w2, b2, w3, b3, w4, b4]
    xs = [t(x, [-1, 28, 28, 1]).permute(0, 3, 1, 2).contiguous() for x in s['xs']]
    ys = [t(y, [-1, 10]) for y in s['ys']]
    opt = torch.optim.SGD(params, lr=s['lr'])
    step = 0
    # Debian's torch is built against the generic BLAS interface; which library serves it is the
    # system's libblas alternative (OpenBLAS when libopenblas0-pthread is installed)
    blas = os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3')
    print(json.dumps({'torch': torch.__version__, 'blas': blas, 'threads': torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        n = int(line.split()[1])
        losses = []
        t0 = time.perf_counter()
        for _ in range(n):
            i = step % len(xs)
            h = F.max_pool2d(F.relu(F.conv2d(xs[i], w1, b1, padding=2)), 2)
            h = F.max_pool2d(F.relu(F.conv2d(h, w2, b2)), 2)
            h = h.permute(0, 2, 3, 1).reshape(h.shape[0], -1)
            logits = F.linear(F.relu(F.linear(h, w3, b3)), w4, b4)
            loss = -(ys[i] * F.log_softmax(logits, dim=1)).sum(dim=1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            step += 1
        ms = (time.perf_counter() - t0) * 1000
        print(json.dumps({'ms': ms, 'losses': losses}), flush=True)


main()
