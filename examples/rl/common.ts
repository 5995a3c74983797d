/**
 * What the RL examples share: the `--seeds` flag (a list or a range, `0-3` or `0,2,5`), greedy
 * evaluation of a policy over many episodes stepped side by side, and small statistics.
 */
import * as t from 'io-ts'
import { type Tensor, random, rl, tensor } from 'purenet'
import type { Flag } from '../cli.js'

type Key = random.Key

/** The seeds of a `--seeds` value: `3`, `0-3` or `0,2,5`. */
export const parseSeeds = (s: string): number[] | undefined => {
  const range = /^(\d+)-(\d+)$/.exec(s)
  if (range !== null) {
    const [a, b] = [Number(range[1]), Number(range[2])]
    return a <= b ? Array.from({ length: b - a + 1 }, (_, i) => a + i) : undefined
  }
  const list = s.split(',').map((x) => (/^\d+$/.test(x) ? Number(x) : NaN))
  return list.every(Number.isSafeInteger) ? list : undefined
}

/** The `--seeds` flag. */
export const seedsFlag = (help: string): Flag<number[]> => ({
  type: 'string',
  codec: new t.Type<number[], unknown, unknown>(
    'seeds',
    (u): u is number[] => Array.isArray(u),
    (u, c) => {
      const seeds = typeof u === 'string' ? parseSeeds(u) : undefined
      return seeds === undefined ? t.failure(u, c, `expected seeds as N, A-B or A,B,C, got ${JSON.stringify(u)}`) : t.success(seeds)
    },
    (x) => x,
  ),
  help,
})

export const mean = (xs: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]!
  return s / Math.max(1, xs.length)
}

/**
 * Plays `episodes` episodes side by side to their end with a deterministic policy (`act` maps a
 * batch of observations [n, observationSize] to one action per row); episode i starts from
 * reset(foldIn(key, i)). Returns each episode's undiscounted return.
 */
export const evaluate = <S extends rl.EpisodeClock, Space extends rl.DiscreteSpace | rl.BoxSpace>(
  env: rl.Environment<S, Space>,
  act: (observations: Tensor) => ReadonlyArray<rl.ActionOf<Space>>,
  key: Key,
  episodes: number,
): number[] => {
  let states = Array.from({ length: episodes }, (_, i) => env.reset(random.foldIn(key, i)))
  const returns = new Array<number>(episodes).fill(0)
  while (states.some((s) => !s.done)) {
    const running = states.flatMap((s, i) => (s.done ? [] : [i]))
    const x = tensor(running.flatMap((i) => env.observe(states[i]!)), { shape: [running.length, env.observationSize] })
    const actions = act(x)
    const next = states.slice()
    running.forEach((i, row) => {
      const step = env.step(states[i]!, actions[row]!)
      returns[i]! += step.reward
      next[i] = step.state
    })
    states = next
  }
  return returns
}
