/**
 * The replay buffer's laws (module comment of ReplayBuffer.ts): ring semantics, pure keyed
 * sampling of intact transitions, and the owned store (a superseded value throws).
 */
import { describe, expect, it } from 'vitest'
import { foldIn, key } from '../random/index.js'
import { type ReplayBuffer, copyBuffer, push, replayBuffer, sample } from './ReplayBuffer.js'

// transition i: observation [i, −i], action i mod 3, reward i/2, next [i + 1, −i − 1], terminated when i % 5 = 4
const fill = (buffer: ReplayBuffer, from: number, to: number): ReplayBuffer => {
  let b = buffer
  for (let i = from; i < to; i++) b = push(b, { observation: [i, -i], action: i % 3, reward: i / 2, nextObservation: [i + 1, -i - 1], terminated: i % 5 === 4 })
  return b
}

describe('rl.replayBuffer', () => {
  it('law 1: size = min(pushes, capacity) and the buffer holds exactly the last capacity transitions', () => {
    const b = fill(replayBuffer({ capacity: 8, observationSize: 2 }), 0, 21)
    expect([b.size, b.pushes]).toEqual([8, 21])
    const seen = new Set<number>()
    for (let k = 0; k < 20; k++) {
      const batch = sample(b, foldIn(key(0), k), 16)
      for (let j = 0; j < 16; j++) seen.add(batch.observations[2 * j]!)
    }
    expect([...seen].sort((a, c) => a - c)).toEqual([13, 14, 15, 16, 17, 18, 19, 20])
    expect(fill(replayBuffer({ capacity: 8, observationSize: 2 }), 0, 3).size).toBe(3)
  })

  it('law 2: sampling is pure in (buffer, key) and every row is one intact transition', () => {
    const b = fill(replayBuffer({ capacity: 32, observationSize: 2 }), 0, 40)
    const one = sample(b, key(4), 64)
    const two = sample(b, key(4), 64)
    expect(two).toEqual(one)
    expect(sample(b, key(5), 64).observations).not.toEqual(one.observations)
    for (let j = 0; j < 64; j++) {
      const i = one.observations[2 * j]!
      expect([one.observations[2 * j + 1], one.actions[j], one.rewards[j], one.nextObservations[2 * j], one.nextObservations[2 * j + 1], one.terminated[j]])
        .toEqual([-i, i % 3, i / 2, i + 1, -i - 1, i % 5 === 4 ? 1 : 0])
    }
  })

  it('law 3: a superseded value throws; copyBuffer gives two independent futures', () => {
    const a = fill(replayBuffer({ capacity: 4, observationSize: 2 }), 0, 2)
    const b = fill(a, 2, 3)
    expect(() => sample(a, key(0), 1)).toThrow(/superseded by a push/)
    expect(() => fill(a, 9, 10)).toThrow(/rl.push: this buffer value was superseded/)
    const c = copyBuffer(b)
    const d = fill(c, 100, 104)
    expect(sample(b, key(1), 8).observations.every((x, i) => (i % 2 === 0 ? x < 3 : x <= 0))).toBe(true)
    expect(d.size).toBe(4)
    expect(Object.isFrozen(b)).toBe(true)
  })

  it('continuous actions of several numbers, and errors that name the fix', () => {
    const b = push(replayBuffer({ capacity: 2, observationSize: 1, actionSize: 2 }), { observation: [1], action: [0.5, -0.5], reward: 0, nextObservation: [2], terminated: false })
    expect(Array.from(sample(b, key(0), 1).actions)).toEqual([0.5, -0.5])
    expect(() => push(b, { observation: [1], action: 1, reward: 0, nextObservation: [2], terminated: false })).toThrow(/actions of 2 numbers/)
    expect(() => sample(replayBuffer({ capacity: 2, observationSize: 1 }), key(0), 1)).toThrow(/the buffer is empty/)
    expect(() => replayBuffer({ capacity: 0, observationSize: 1 })).toThrow(/capacity must be a positive integer/)
  })
})
