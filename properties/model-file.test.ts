/**
 * Law 2 of model files (src/io/modelFile.ts): decodeModel never throws. Valid model files are
 * mutated at random (characters replaced, inserted or deleted; the text truncated; a JSON value
 * anywhere in the document replaced, removed or given a sibling) and decodeModel must return a
 * Left with a message, or a Right holding a valid model: its parameters fit its network (it
 * re-encodes, which checks every shape, dtype and value) and the network applies to them.
 *
 * Checksums (version 2): any one character of any tensor's base64 data changed to any other
 * base64 character is a Left (the CRC-32 of the bytes, or canonical padding bits, catch it).
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { type AnyLayer, dense, dropout, fanOut, identity, relu, residual, serial, tanh } from '../src/nn/index.js'
import { adam } from '../src/optim/index.js'
import { key } from '../src/random/index.js'
import { type Tensor, isTensor, zeros } from '../src/tensor/index.js'
import { decodeModel, encodeModel } from '../src/ioNamespace.js'

const nets: ReadonlyArray<AnyLayer> = [
  serial(dense(3, 2), relu, dense(2, 1, { dtype: 'float64' })),
  serial(residual(dense(2, 2)), tanh, dropout(0.5), fanOut(identity, dense(2, 1))),
  dense(2, 2),
]
const files: ReadonlyArray<string> = nets.map((net, i) => {
  const params = net.init(key(i)) as never
  return encodeModel({
    net, params, optState: adam(0.1).init(params), step: i, key: key(i),
    history: { loss: [1, 0.5], epochs: [{ epoch: 0, loss: 0.75, metrics: { accuracy: 0.5 } }] }, extra: { tag: 'x', list: [1, null, true] },
  })
})

/** Checks that a decoded model is valid: it re-encodes (all checks of the format) and applies. */
const checkValid = (text: string): void => {
  const r = decodeModel(text)
  if (E.isLeft(r)) {
    expect(r.left.message).toMatch(/^io\.decodeModel: /)
    return
  }
  const m = r.right
  expect(() => encodeModel(m)).not.toThrow()
  const x = zeros([1, Number.isNaN(m.net.inSize) ? 2 : m.net.inSize])
  const y = (m.net.apply as (p: unknown) => (x: Tensor) => Tensor)(m.params)(x)
  expect(isTensor(y)).toBe(true)
}

const charEdit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'insert', 'delete'),
  char: fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '0', '9', '-', 'e', 'A', '=', ' ', '\\', 'x', '\u0000', '\u{1F600}'),
})

// Every path to a value in a JSON document, to pick one to edit.
const paths = (u: unknown, prefix: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  const here = [prefix]
  if (Array.isArray(u)) return [...here, ...u.flatMap((v, i) => paths(v, [...prefix, i]))]
  if (typeof u === 'object' && u !== null) return [...here, ...Object.entries(u).flatMap(([k, v]) => paths(v, [...prefix, k]))]
  return here
}

const setAt = (doc: unknown, path: ReadonlyArray<string | number>, mode: 'replace' | 'remove' | 'sibling', value: unknown): unknown => {
  if (path.length === 0) return mode === 'replace' ? value : doc
  const [head, ...rest] = path
  if (Array.isArray(doc)) {
    const copy = [...doc]
    const i = head as number
    if (rest.length > 0) copy[i] = setAt(copy[i], rest, mode, value)
    else if (mode === 'replace') copy[i] = value
    else if (mode === 'remove') copy.splice(i, 1)
    else copy.splice(i, 0, value)
    return copy
  }
  const copy: Record<string, unknown> = { ...(doc as Record<string, unknown>) }
  const k = head as string
  if (rest.length > 0) copy[k] = setAt(copy[k], rest, mode, value)
  else if (mode === 'replace') copy[k] = value
  else if (mode === 'remove') delete copy[k]
  else copy[`${k}2`] = value
  return copy
}

const jsonEdit = fc.record({
  pick: fc.nat(),
  mode: fc.constantFrom<'replace' | 'remove' | 'sibling'>('replace', 'remove', 'sibling'),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(-1, 0, 1, 1.5, 1e9, 2 ** 32, 1e300, 'float64', 'float32', 'AAAA', '', [1e9, 1e9], [], {}, { kind: 'relu' }, { dtype: 'float32', shape: [1e9, 1e9], data: 'AAAA' }),
  ),
})

describe('model files', () => {
  it('2. decodeModel never throws on character edits: Left, or a valid model', () => {
    fc.assert(
      fc.property(fc.nat(files.length - 1), fc.array(charEdit, { minLength: 1, maxLength: 4 }), (f, edits) => {
        let text = files[f]!
        for (const { at, op, char } of edits) {
          const i = at % (text.length + 1)
          text = op === 'replace' ? text.slice(0, i) + char + text.slice(i + 1) : op === 'insert' ? text.slice(0, i) + char + text.slice(i) : text.slice(0, i) + text.slice(i + 1)
        }
        checkValid(text)
      }),
      { numRuns: 400 },
    )
  })

  it('2. decodeModel never throws on truncation: every prefix is a Left', () => {
    fc.assert(
      fc.property(fc.nat(files.length - 1), fc.nat(), (f, cut) => {
        const text = files[f]!
        const prefix = text.slice(0, cut % text.trimEnd().length)
        const r = decodeModel(prefix)
        expect(E.isLeft(r)).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('2. decodeModel never throws on JSON value edits: Left, or a valid model', () => {
    fc.assert(
      fc.property(fc.nat(files.length - 1), jsonEdit, (f, { pick, mode, value }) => {
        const doc = JSON.parse(files[f]!) as unknown
        const all = paths(doc)
        const edited = setAt(doc, all[pick % all.length]!, mode, value)
        checkValid(JSON.stringify(edited))
      }),
      { numRuns: 400 },
    )
  })

  it('the unedited files decode (so the properties above are not vacuous)', () => {
    for (const text of files) expect(E.isRight(decodeModel(text))).toBe(true)
  })
})

describe('model files: checksums', () => {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  // every character position inside a "data" string of the files
  const positions = files.map((text) => {
    const out: number[] = []
    for (const m of text.matchAll(/"data": "([^"]*)"/g)) {
      const start = m.index + '"data": "'.length
      for (let i = 0; i < m[1]!.length; i++) if (m[1]![i] !== '=') out.push(start + i)
    }
    return out
  })
  it('a changed base64 character in any tensor is refused, naming that tensor\'s data', () => {
    fc.assert(fc.property(fc.nat({ max: files.length - 1 }), fc.nat(), fc.nat({ max: 63 }), (f, p, c) => {
      const text = files[f]!
      const at = positions[f]![p % positions[f]!.length]!
      const replacement = B64[c] === text[at] ? B64[(c + 1) % 64]! : B64[c]!
      const r = decodeModel(`${text.slice(0, at)}${replacement}${text.slice(at + 1)}`)
      expect(E.isLeft(r) && r.left.message).toMatch(/^io\.decodeModel: [^:]*\.data: (the data's CRC-32 is [0-9a-f]{8}, the file says [0-9a-f]{8}: the file is corrupted|character \d+ is .* low bits should be zero)/)
    }), { numRuns: 300 })
  })
})
