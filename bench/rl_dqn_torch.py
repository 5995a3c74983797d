"""DQN on CartPole-v1 in PyTorch with examples/rl/dqn.ts's algorithm and hyperparameters, for
bench/rl.ts's wall-clock ratio. One thread. The environment is CartPole-v1's equations in plain
Python floats (the same code path as Gymnasium's, without the package); the replay buffer is
preallocated numpy arrays; random numbers come from numpy's generator (so a run is not the same
trajectory as purenet's, only the same algorithm).

Hyperparameters (keep in step with DqnOptions' defaults in examples/rl/dqn.ts): see DEFAULTS.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/rl_dqn_torch.py [--steps N] [--solve] [--seed S] [--key value ...]
(--steps is the budget, 150 000 by default as in dqn.ts; --solve evaluates and stops when solved)
Prints one JSON line at the end: {"seconds": s, "steps": n, "solvedAt": step or null}.
"""
import json
import math
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)

DEFAULTS = dict(steps=150_000, hidden=64, lr=1e-3, gamma=0.99, buffer=50_000, batch=64, learning_starts=1000,
                train_every=2, gradient_steps=1, target_every=200, final_epsilon=0.05, exploration_steps=10_000,
                evaluate_every=2500, evaluation_episodes=100, threshold=475.0, double=1)


def parse(argv):
    o = dict(DEFAULTS)
    o["solve"] = False
    o["seed"] = 0
    i = 0
    while i < len(argv):
        k = argv[i].lstrip("-").replace("-", "_")
        if k == "solve":
            o["solve"] = True
            i += 1
            continue
        v = argv[i + 1]
        o[k] = type(DEFAULTS[k])(float(v)) if k in DEFAULTS else int(v)
        i += 2
    return o


class CartPole:
    g, mc, mp, l, f, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    theta_limit = 12 * 2 * math.pi / 360

    def __init__(self, rng):
        self.rng = rng

    def reset(self):
        self.s = list(self.rng.uniform(-0.05, 0.05, 4))
        self.t = 0
        return list(self.s)

    def step(self, a):
        x, v, th, w = self.s
        force = self.f if a == 1 else -self.f
        c, s = math.cos(th), math.sin(th)
        temp = (force + self.mp * self.l * w * w * s) / (self.mc + self.mp)
        thacc = (self.g * s - c * temp) / (self.l * (4.0 / 3.0 - self.mp * c * c / (self.mc + self.mp)))
        xacc = temp - self.mp * self.l * thacc * c / (self.mc + self.mp)
        self.s = [x + self.tau * v, v + self.tau * xacc, th + self.tau * w, w + self.tau * thacc]
        self.t += 1
        terminated = abs(self.s[0]) > 2.4 or abs(self.s[2]) > self.theta_limit
        truncated = not terminated and self.t >= 500
        return list(self.s), 1.0, terminated, truncated


def main():
    o = parse(sys.argv[1:])
    rng = np.random.default_rng(o["seed"])
    torch.manual_seed(o["seed"])
    h = o["hidden"]
    q = torch.nn.Sequential(torch.nn.Linear(4, h), torch.nn.ReLU(), torch.nn.Linear(h, h), torch.nn.ReLU(), torch.nn.Linear(h, 2))
    target = torch.nn.Sequential(torch.nn.Linear(4, h), torch.nn.ReLU(), torch.nn.Linear(h, h), torch.nn.ReLU(), torch.nn.Linear(h, 2))
    target.load_state_dict(q.state_dict())
    opt = torch.optim.Adam(q.parameters(), lr=o["lr"])
    cap = o["buffer"]
    obs_b = np.zeros((cap, 4), np.float32)
    next_b = np.zeros((cap, 4), np.float32)
    act_b = np.zeros(cap, np.int64)
    rew_b = np.zeros(cap, np.float32)
    term_b = np.zeros(cap, np.float32)
    size = 0
    env = CartPole(rng)
    obs = env.reset()
    solved = None
    start = time.perf_counter()
    step = 0
    while step < o["steps"] and solved is None:
        eps = o["final_epsilon"] if step >= o["exploration_steps"] else 1 + (o["final_epsilon"] - 1) * step / o["exploration_steps"]
        if rng.random() < eps:
            a = int(rng.integers(2))
        else:
            with torch.no_grad():
                a = int(q(torch.tensor([obs], dtype=torch.float32)).argmax(1).item())
        nxt, r, term, trunc = env.step(a)
        i = step % cap
        obs_b[i], next_b[i], act_b[i], rew_b[i], term_b[i] = obs, nxt, a, r, float(term)
        size = min(size + 1, cap)
        step += 1
        obs = env.reset() if term or trunc else nxt
        if step >= o["learning_starts"] and step % o["train_every"] == 0:
            for _ in range(o["gradient_steps"]):
                idx = rng.integers(size, size=o["batch"])
                x, xn = torch.from_numpy(obs_b[idx]), torch.from_numpy(next_b[idx])
                with torch.no_grad():
                    nq = target(xn)
                    best = q(xn).argmax(1, keepdim=True) if o["double"] else nq.argmax(1, keepdim=True)
                    y = torch.from_numpy(rew_b[idx]) + o["gamma"] * (1 - torch.from_numpy(term_b[idx])) * nq.gather(1, best).squeeze(1)
                pred = q(x).gather(1, torch.from_numpy(act_b[idx]).unsqueeze(1)).squeeze(1)
                loss = torch.nn.functional.smooth_l1_loss(pred, y)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(q.parameters(), 10.0)
                opt.step()
        if step % o["target_every"] == 0:
            target.load_state_dict(q.state_dict())
        if o["solve"] and step >= o["learning_starts"] and step % o["evaluate_every"] == 0:
            envs = [CartPole(np.random.default_rng([o["seed"], step, e])) for e in range(o["evaluation_episodes"])]
            states = [e.reset() for e in envs]
            alive = list(range(len(envs)))
            returns = [0.0] * len(envs)
            while alive:
                with torch.no_grad():
                    acts = q(torch.tensor([states[e] for e in alive], dtype=torch.float32)).argmax(1).tolist()
                still = []
                for e, a in zip(alive, acts):
                    s2, r, term, trunc = envs[e].step(a)
                    returns[e] += r
                    states[e] = s2
                    if not (term or trunc):
                        still.append(e)
                alive = still
            m = sum(returns) / len(returns)
            print(json.dumps({"step": step, "meanReturn": m, "seconds": time.perf_counter() - start}), file=sys.stderr, flush=True)
            if m >= o["threshold"]:
                solved = step
    print(json.dumps({"seconds": time.perf_counter() - start, "steps": step, "solvedAt": solved}))


main()
