import { describe, expect, it } from 'vitest'
import { constant, cosineDecay, exponentialDecay, linear, piecewiseConstant, stepDecay, warmup } from './schedules.js'

const at = (s: (t: number) => number, steps: ReadonlyArray<number>): number[] => steps.map(s)

describe('schedules', () => {
  it('constant', () => {
    expect(at(constant(0.1), [0, 1, 1000])).toEqual([0.1, 0.1, 0.1])
    expect(() => constant(Number.NaN)).toThrow('optim.schedules.constant: value must be a finite number, got NaN')
  })
  it('piecewiseConstant switches at each boundary', () => {
    const s = piecewiseConstant([10, 20], [1, 0.5, 0.25])
    expect(at(s, [0, 9, 10, 19, 20, 1e6])).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25])
    expect(() => piecewiseConstant([10], [1])).toThrow('optim.schedules.piecewiseConstant: needs one more value than boundaries, got 1 boundaries and 1 values')
    expect(() => piecewiseConstant([10, 5], [1, 2, 3])).toThrow('boundaries must increase, got 10 then 5 at index 1')
  })
  it('stepDecay multiplies by factor every stepSize steps', () => {
    const s = stepDecay(1, { stepSize: 10, factor: 0.5 })
    expect(at(s, [0, 9, 10, 25, 30])).toEqual([1, 1, 0.5, 0.25, 0.125])
    expect(stepDecay(2, { stepSize: 1 })(2)).toBeCloseTo(0.02, 15)
    expect(() => stepDecay(1, { stepSize: 0 })).toThrow('optim.schedules.stepDecay: stepSize must be a positive integer (a number of steps), got 0')
  })
  it('exponentialDecay: smooth, staircase, delayed and bounded', () => {
    expect(exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5 })(5)).toBeCloseTo(Math.SQRT1_2, 15)
    expect(exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5 })(20)).toBe(0.25)
    expect(at(exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5, staircase: true }), [0, 9, 10, 19, 20])).toEqual([1, 1, 0.5, 0.5, 0.25])
    expect(at(exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5, transitionBegin: 5 }), [0, 5, 15])).toEqual([1, 1, 0.5])
    expect(exponentialDecay(1, { transitionSteps: 1, decayRate: 0.5, endValue: 0.1 })(100)).toBe(0.1)
    expect(exponentialDecay(1, { transitionSteps: 1, decayRate: 2, endValue: 3 })(100)).toBe(3)
    expect(() => exponentialDecay(1, { transitionSteps: 1, decayRate: 0 })).toThrow('optim.schedules.exponentialDecay: decayRate must be a positive finite number, got 0; use a value below 1 to decay (e.g. 0.96)')
  })
  it('cosineDecay falls from the initial value to alpha·initial over decaySteps, then stays', () => {
    const s = cosineDecay(2, { decaySteps: 100 })
    expect(s(0)).toBe(2)
    expect(s(50)).toBeCloseTo(1, 14)
    expect(s(100)).toBeCloseTo(0, 14)
    expect(s(1000)).toBeCloseTo(0, 14)
    const floor = cosineDecay(2, { decaySteps: 100, alpha: 0.1 })
    expect(floor(100)).toBeCloseTo(0.2, 14)
    expect(floor(50)).toBeCloseTo(2 * (0.9 * 0.5 + 0.1), 14)
    expect(() => cosineDecay(1, { decaySteps: 10, alpha: 2 })).toThrow('optim.schedules.cosineDecay: alpha must be in [0, 1], got 2')
  })
  it('linear goes from the initial to the end value, then stays', () => {
    expect(at(linear(0, 1, 4), [0, 1, 2, 4, 8])).toEqual([0, 0.25, 0.5, 1, 1])
  })
  it('warmup rises linearly to schedule(0), then follows the schedule shifted by the warm-up', () => {
    const s = warmup(cosineDecay(1, { decaySteps: 10 }), { steps: 4 })
    expect(at(s, [0, 1, 2, 3, 4])).toEqual([0, 0.25, 0.5, 0.75, 1])
    const cosine = cosineDecay(1, { decaySteps: 10 })
    for (let t = 4; t < 20; t++) expect(s(t)).toBe(cosine(t - 4))
    expect(at(warmup(0.1, { steps: 2, initialValue: 0.02 }), [0, 1, 2, 9])).toEqual([0.02, 0.06, 0.1, 0.1])
    expect(() => warmup(0.1, { steps: 0 })).toThrow('optim.schedules.warmup: steps must be a positive integer (a number of steps), got 0')
    expect(() => warmup(-0.1, { steps: 2 })).toThrow('optim.schedules.warmup: schedule must be a non-negative finite number, got -0.1')
  })
  it('every schedule gives finite numbers at every step', () => {
    const all = [
      constant(0.1), piecewiseConstant([3], [1, 2]), stepDecay(1, { stepSize: 3 }), exponentialDecay(1, { transitionSteps: 3, decayRate: 0.9 }),
      cosineDecay(1, { decaySteps: 7, alpha: 0.5 }), linear(1, 0, 5), warmup(cosineDecay(1, { decaySteps: 7 }), { steps: 3 }),
    ]
    for (const s of all) for (let t = 0; t < 50; t++) expect(Number.isFinite(s(t))).toBe(true)
  })
})
