import { describe, expect, it } from 'vitest'
import { everyPlot } from './examples.fixture.js'
import { type VegaLiteSpec, lookup, schema, vconcat } from './VegaLiteSpec.js'

const plots = Object.entries(everyPlot())

// Every node of a spec that is a (sub-)view with an x or y encoding.
const encodings = (v: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> => {
  if (Array.isArray(v)) v.forEach((x) => encodings(x, out))
  else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (typeof o['encoding'] === 'object' && o['encoding'] !== null) out.push(o['encoding'] as Record<string, unknown>)
    Object.values(o).forEach((x) => encodings(x, out))
  }
  return out
}

describe.each(plots)('%s', (_, spec) => {
  it('law 1: is JSON (a round trip through JSON.stringify changes nothing)', () => {
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec)
  })
  it('law 2: carries the schema and a title at the top, and nowhere below', () => {
    expect(spec.$schema).toBe(schema)
    expect(lookup(spec, 'title')).toBeDefined()
    expect(JSON.stringify(spec).split('"$schema"')).toHaveLength(2)
  })
  it('titles every positional field axis', () => {
    for (const e of encodings(spec)) {
      for (const channel of ['x', 'y']) {
        const def = e[channel] as Record<string, unknown> | undefined
        if (def !== undefined && 'field' in def) expect(typeof def['title'], `${channel} of ${JSON.stringify(def)}`).toBe('string')
      }
    }
  })
})

describe('hconcat and vconcat', () => {
  it('law 3: nest specs without their top-level keys and without changing them', () => {
    const a = plots[0]![1]
    const b = plots[1]![1]
    const before = JSON.stringify([a, b])
    const both = vconcat({ text: 'Two', subtitle: 'plots' }, a, b)
    expect(JSON.stringify([a, b])).toBe(before)
    expect(lookup(both, 'vconcat', 0, '$schema')).toBeUndefined()
    expect(lookup(both, 'vconcat', 1, 'config')).toBeUndefined()
    expect(lookup(both, 'vconcat', 1, 'title')).toEqual(lookup(b, 'title'))
    expect(lookup(both, 'title', 'subtitle')).toBe('plots')
    expect(() => vconcat('none')).toThrow('give at least one spec')
  })
})

describe('lookup', () => {
  it('follows keys and indices, and is undefined off the path', () => {
    const spec: VegaLiteSpec = { $schema: schema, layer: [{ mark: 'line' }] }
    expect(lookup(spec, 'layer', 0, 'mark')).toBe('line')
    expect(lookup(spec, 'layer', 1, 'mark')).toBeUndefined()
    expect(lookup(spec, 'layer', 'length')).toBeUndefined()
    expect(lookup(spec, 'toString')).toBeUndefined()
  })
})
