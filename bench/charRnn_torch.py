"""PyTorch contender of bench/charRnn.ts: the character-level GRU training step with the same weights and batches.

/usr/bin/python3 bench/charRnn_torch.py SETUP.json  (OPENBLAS_NUM_THREADS=1; one torch thread). The set-up
file holds the sizes, purenet's weights (embedding table [V, E]; GRU wi [E, 3H], wh [H, 3H], bi, bh [3H] with
gates reset, update, new as PyTorch; dense w [H, V], b [V]), the learning rate and the character windows
(xs) and next characters (ys) of every batch. Commands on stdin, one a line: "steps N" trains the next N
batches (cycling) with Adam and prints {"ms": wall time, "cpuMs": CPU time of the process, "losses": [...]}
(losses in nats per character).
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
    V, E, H, T = s['vocab'], s['embed'], s['hidden'], s['window']
    t = lambda a, shape: torch.tensor(a, dtype=torch.float32).reshape(shape)
    emb = torch.nn.Embedding(V, E)
    gru = torch.nn.GRU(E, H, batch_first=True)
    head = torch.nn.Linear(H, V)
    with torch.no_grad():
        emb.weight.copy_(t(s['table'], [V, E]))
        gru.weight_ih_l0.copy_(t(s['wi'], [E, 3 * H]).t())
        gru.weight_hh_l0.copy_(t(s['wh'], [H, 3 * H]).t())
        gru.bias_ih_l0.copy_(t(s['bi'], [3 * H]))
        gru.bias_hh_l0.copy_(t(s['bh'], [3 * H]))
        head.weight.copy_(t(s['w'], [H, V]).t())
        head.bias.copy_(t(s['b'], [V]))
    params = [*emb.parameters(), *gru.parameters(), *head.parameters()]
    xs = [torch.tensor(x, dtype=torch.long).reshape(-1, T) for x in s['xs']]
    ys = [torch.tensor(y, dtype=torch.long).reshape(-1) for y in s['ys']]
    opt = torch.optim.Adam(params, lr=s['lr'])
    step = 0
    # Debian's torch is built against the generic BLAS interface; which library serves it is the
    # system's libblas alternative (OpenBLAS when libopenblas0-pthread is installed)
    blas = os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3')
    print(json.dumps({'torch': torch.__version__, 'blas': blas, 'threads': torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        n = int(line.split()[1])
        losses = []
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            i = step % len(xs)
            hs, _ = gru(emb(xs[i]))
            loss = F.cross_entropy(head(hs.reshape(-1, H)), ys[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            step += 1
        ms, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        print(json.dumps({'ms': ms, 'cpuMs': cpu, 'losses': losses}), flush=True)


main()
