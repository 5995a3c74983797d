"""PyTorch as a contender of bench/training.ts: the same data, initial weights and batch order.

Run by bench/training/pytorch.ts as a child process (/usr/bin/python3, OPENBLAS_NUM_THREADS=1,
one torch thread). It reads a set-up file written by `writeSetup` (bench/training/spec.ts), builds
the workload's MLP with those weights, then answers commands on stdin, one a line:
  "steps N"   trains N steps (continuing the global step count) and prints
              {"ms": wall time of the N steps, "losses": [the N losses]}
so the Node side can interleave PyTorch's turns with the other contenders' turns.
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)

WORKLOADS = {
    'w1': dict(sizes=[784, 128, 10], activation='relu', loss='softmaxCrossEntropy', batch=64, lr=0.1),
    'w2': dict(sizes=[784, 512, 10], activation='relu', loss='softmaxCrossEntropy', batch=256, lr=0.1),
    'w4': dict(sizes=[4, 64, 64, 2], activation='tanh', loss='mse', batch=32, lr=0.01),
    'w4a': dict(sizes=[4, 64, 64, 2], activation='tanh', loss='mse', batch=32, lr=1e-3, opt='adam'),
    'w1a': dict(sizes=[784, 128, 10], activation='relu', loss='softmaxCrossEntropy', batch=64, lr=1e-3, opt='adam'),
}


def read_setup(path):
    with open(path, 'rb') as f:
        raw = f.read()
    nl = raw.index(b'\n')
    h = json.loads(raw[:nl].decode('utf8'))
    off = nl + 1
    arrays = []
    for length in h['lengths']:
        arrays.append(raw[off:off + 4 * length])
        off += 4 * length
    f32 = lambda b: np.frombuffer(b, dtype=np.float32).copy()
    x, y = f32(arrays[0]), f32(arrays[1])
    layers = [(f32(arrays[2 + 2 * i]), f32(arrays[3 + 2 * i])) for i in range(h['layers'])]
    orders = [np.frombuffer(b, dtype=np.int32).astype(np.int64) for b in arrays[2 + 2 * h['layers']:]]
    return h, x, y, layers, orders


def main():
    h, x, y, layers, orders = read_setup(sys.argv[1])
    spec = WORKLOADS[h['id']]
    sizes, n, bs = spec['sizes'], h['n'], spec['batch']
    X = torch.from_numpy(x.reshape(n, sizes[0]))
    Y = torch.from_numpy(y.reshape(n, sizes[-1]))
    mods = []
    for i, (w, b) in enumerate(layers):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w.reshape(sizes[i], sizes[i + 1]).T.copy()))
            lin.bias.copy_(torch.from_numpy(b))
        if i > 0:
            mods.append(torch.nn.ReLU() if spec['activation'] == 'relu' else torch.nn.Tanh())
        mods.append(lin)
    net = torch.nn.Sequential(*mods)
    if spec.get('opt') == 'adam':
        opt = torch.optim.Adam(net.parameters(), lr=spec['lr'], betas=(0.9, 0.999), eps=1e-8)
    else:
        opt = torch.optim.SGD(net.parameters(), lr=spec['lr'])
    per = (n + bs - 1) // bs
    idx = [torch.from_numpy(o) for o in orders]
    mse = spec['loss'] == 'mse'

    def step(t):
        order = idx[(t // per) % len(idx)]
        b = t % per
        sel = order[b * bs:min(n, (b + 1) * bs)]
        xb, yb = X.index_select(0, sel), Y.index_select(0, sel)
        opt.zero_grad(set_to_none=True)
        out = net(xb)
        if mse:
            loss = torch.nn.functional.mse_loss(out, yb)
        else:
            loss = -(yb * torch.log_softmax(out, dim=1)).sum(dim=1).mean()
        loss.backward()
        opt.step()
        return loss.item()

    t = 0
    print(json.dumps({'ready': True, 'threads': torch.get_num_threads(), 'torch': torch.__version__}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != 'steps':
            break
        count = int(parts[1])
        losses = []
        t0 = time.perf_counter()
        for _ in range(count):
            losses.append(step(t))
            t += 1
        ms = (time.perf_counter() - t0) * 1000
        print(json.dumps({'ms': ms, 'losses': losses}), flush=True)


if __name__ == '__main__':
    main()
