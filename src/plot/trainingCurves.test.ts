import { describe, expect, it } from 'vitest'
import type { History } from '../train/TrainState.js'
import { exponentialMovingAverage } from './smooth.js'
import { trainingCurves } from './trainingCurves.js'
import { type Json, lookup } from './VegaLiteSpec.js'

const history: History = {
  loss: [2, 1.5, 1.2, 0.9, 0.8, 0.7],
  epochs: [
    { epoch: 0, loss: 1.57, metrics: { accuracy: 0.6 } },
    { epoch: 1, loss: 0.8, metrics: { accuracy: 0.8 } },
  ],
}

const rows = (v: Json | undefined): ReadonlyArray<Readonly<Record<string, Json>>> => (Array.isArray(v) ? (v as ReadonlyArray<Readonly<Record<string, Json>>>) : [])

describe('trainingCurves', () => {
  it('accepts train.fit histories and overlays runs colored by name', () => {
    const spec = trainingCurves([{ name: 'sgd', ...history }, { name: 'adam', ...history, loss: [1, 1] }])
    const steps = lookup(spec, 'vconcat', 0)
    expect(lookup(steps, 'encoding', 'x', 'title')).toBe('step')
    expect(lookup(steps, 'encoding', 'color', 'field')).toBe('run')
    expect(lookup(steps, 'encoding', 'color', 'scale', 'domain')).toEqual(['sgd', 'adam'])
    expect(lookup(steps, 'layer', 0, 'encoding', 'y', 'title')).toBe('loss')
    expect(lookup(steps, 'layer', 1, 'encoding', 'y', 'title')).toBe('loss')
    expect(lookup(steps, 'layer', 1, 'mark', 'type')).toBe('line')
    expect(rows(lookup(steps, 'data', 'values'))).toHaveLength(8)
  })

  it('the smoothed line is the exponential moving average of the step losses', () => {
    const spec = trainingCurves([{ name: 'a', loss: history.loss }], { smoothing: 0.6 })
    const data = rows(lookup(spec, 'data', 'values'))
    expect(data.map((r) => r['smoothed'])).toEqual(exponentialMovingAverage(history.loss, 0.6))
    expect(data.map((r) => r['step'])).toEqual([1, 2, 3, 4, 5, 6])
    expect(lookup(spec, 'vconcat')).toBeUndefined()
  })

  it('draws one panel per epoch quantity: the mean loss, then each metric', () => {
    const spec = trainingCurves([{ name: 'sgd', ...history }])
    const panels = lookup(spec, 'vconcat', 1, 'concat')
    expect(Array.isArray(panels) && panels.length).toBe(2)
    expect(lookup(panels, 0, 'encoding', 'y', 'title')).toBe('loss')
    expect(lookup(panels, 1, 'encoding', 'y', 'title')).toBe('accuracy')
    expect(lookup(panels, 1, 'encoding', 'x', 'title')).toBe('epoch')
    expect(lookup(panels, 1, 'transform', 0, 'filter', 'equal')).toBe('accuracy')
    const accuracy = rows(lookup(panels, 1, 'data', 'values')).filter((r) => r['quantity'] === 'accuracy')
    expect(accuracy.map((r) => [r['epoch'], r['value']])).toEqual([[1, 0.6], [2, 0.8]]) // drawn from 1
  })

  it('turns a diverged step into a gap (JSON has no NaN)', () => {
    const spec = trainingCurves([{ name: 'x', loss: [1, NaN, Infinity] }])
    expect(rows(lookup(spec, 'data', 'values')).map((r) => r['loss'])).toEqual([1, null, null])
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec)
  })

  it('explains bad input', () => {
    expect(() => trainingCurves([])).toThrow('give at least one run')
    expect(() => trainingCurves([{ name: 'a', loss: [] }, { name: 'a', loss: [] }])).toThrow("two runs are named 'a'")
  })
})
