/**
 * The gated recurrent unit (Cho et al., 2014) over a sequence, built on `ops.scan`: its gradient
 * is backpropagation through time, from the ops of each step.
 */
import { add, matmul, mul, reshape, scan, sigmoid, slice, sub, tanh, transpose } from '../ops/index.js'
import { type Key, split } from '../random/index.js'
import { type DType, ShapeError, type Tensor, zeros } from '../tensor/index.js'
import { glorotUniform } from './initializers.js'
import type { Layer } from './Layer.js'
import { type LayerKindDefinition, buildWith, dtypeField, isSpecSize, layerKind, sizeField } from './LayerKind.js'
import type { GruSpec } from './LayerSpec.js'

/**
 * The parameters of `gru`: input weights `wi` [inSize, 3·hidden], recurrent weights `wh`
 * [hidden, 3·hidden] and biases `bi`, `bh` [3·hidden], gates in the order reset, update, new
 * (PyTorch's order, transposed).
 * @example
 * ```ts
 * const p: nn.GruParams = nn.gru(16, 32, 8).init(random.key(0))
 * ```
 * @category layers
 */
export type GruParams = {
  readonly wi: Tensor
  readonly wh: Tensor
  readonly bi: Tensor
  readonly bh: Tensor
}

const gate = (t: Tensor, hidden: number, k: number): Tensor => slice(t, [0, k * hidden], [t.shape[0]!, hidden])

/**
 * A GRU from `inSize` features to `hidden` units over sequences of `length` steps: for input
 * [batch, length, inSize] (or rows [batch, length · inSize]) it returns every hidden state,
 * [batch, length, hidden], starting from h = 0, with PyTorch's `nn.GRU` equations:
 * r = σ(x·Wr + bir + h·Ur + bhr), z = σ(x·Wz + biz + h·Uz + bhz), n = tanh(x·Wn + bin + r ⊙ (h·Un + bhn)),
 * h' = (1 - z) ⊙ n + z ⊙ h. Sizes: length · inSize in, length · hidden out.
 * @example
 * ```ts
 * const net = nn.serial(nn.embedding(65, 16, { length: 32 }), nn.gru(16, 64, 32), nn.flatten, nn.dense(2048, 65))
 * ```
 * @category layers
 */
export const gru = (inSize: number, hidden: number, length: number, options: { readonly dtype?: DType } = {}): Layer<GruParams, number, number> => {
  const name = `gru(${inSize}, ${hidden}, length ${length})`
  for (const [what, n] of [['inSize', inSize], ['hidden', hidden], ['length', length]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name}: ${what} must be a positive integer, got ${n}`)
  }
  const dtype = options.dtype ?? 'float32'
  const shapes = { wi: [inSize, 3 * hidden], wh: [hidden, 3 * hidden], bi: [3 * hidden], bh: [3 * hidden] } as const
  return Object.freeze({
    name,
    inSize: length * inSize,
    outSize: length * hidden,
    spec: Object.freeze({ kind: 'gru' as const, inSize, hidden, length, dtype }),
    init: (key: Key): GruParams => {
      const [k1, k2] = split(key, 2) as [Key, Key]
      return Object.freeze({ wi: glorotUniform(k1, shapes.wi, dtype), wh: glorotUniform(k2, shapes.wh, dtype), bi: zeros(shapes.bi, { dtype }), bh: zeros(shapes.bh, { dtype }) })
    },
    apply: (params: GruParams) => {
      for (const k of ['wi', 'wh', 'bi', 'bh'] as const) {
        const t = (params as Partial<GruParams>)[k]
        if (t === undefined || t.shape.length !== shapes[k].length || shapes[k].some((d, i) => t.shape[i] !== d)) {
          throw new ShapeError(name, t === undefined ? [] : [t.shape], `expected ${k} of shape [${shapes[k].join(', ')}]; use the parameters this layer's init made`)
        }
      }
      const { wi, wh, bi, bh } = params
      return (x: Tensor): Tensor => {
        const seq = x.shape.length === 3 && x.shape[1] === length && x.shape[2] === inSize ? x
          : x.shape.length === 2 && x.shape[1] === length * inSize ? reshape(x, [x.shape[0]!, length, inSize])
            : undefined
        if (seq === undefined) throw new ShapeError(name, [x.shape], `expects sequences [batch, ${length}, ${inSize}] or rows [batch, ${length * inSize}]`)
        const batch = seq.shape[0]!
        // the input projections of every step at once, then the recurrence over time-major steps
        const projected = reshape(add(matmul(reshape(seq, [batch * length, inSize]), wi), bi), [batch, length, 3 * hidden])
        const [, hs] = scan((h: Tensor, xp: Tensor) => {
          const hp = add(matmul(h, wh), bh)
          const r = sigmoid(add(gate(xp, hidden, 0), gate(hp, hidden, 0)))
          const z = sigmoid(add(gate(xp, hidden, 1), gate(hp, hidden, 1)))
          const n = tanh(add(gate(xp, hidden, 2), mul(r, gate(hp, hidden, 2))))
          const next = add(mul(sub(1, z), n), mul(z, h))
          return [next, next] as const
        }, zeros([batch, hidden], { dtype: seq.dtype }), transpose(projected, [1, 0, 2]))
        return transpose(hs, [1, 0, 2])
      }
    },
  })
}

/**
 * The fields of a gru spec as `fromSpec` decodes them. @category specs
 * @example
 * ```ts
 * const fields: nn.GruFields = { inSize: 16, hidden: 64, length: 32 }
 * ```
 */
export type GruFields = { readonly inSize: number; readonly hidden: number; readonly length: number; readonly dtype?: DType }

/**
 * The layer kind `gru`: `{ kind: 'gru', inSize, hidden, length, dtype? }`, parameters `{ wi, wh, bi, bh }`. @category specs
 * @example
 * ```ts
 * nn.gruKind.kind // 'gru'
 * ```
 */
export const gruKind: LayerKindDefinition<GruFields, GruSpec> = layerKind({
  kind: 'gru' as const,
  fields: { inSize: sizeField, hidden: sizeField, length: sizeField, dtype: dtypeField },
  build: (f: GruFields, context: { readonly path: string }) => buildWith(context.path, () => gru(f.inSize, f.hidden, f.length, { dtype: f.dtype ?? 'float32' })),
  layout: (spec: GruSpec) => {
    const t = (shape: ReadonlyArray<number>) => Object.freeze({ node: 'tensor' as const, shape: Object.freeze([...shape]), dtype: spec.dtype })
    return Object.freeze({
      node: 'record' as const,
      fields: Object.freeze([
        Object.freeze(['wi', t([spec.inSize, 3 * spec.hidden])] as const),
        Object.freeze(['wh', t([spec.hidden, 3 * spec.hidden])] as const),
        Object.freeze(['bi', t([3 * spec.hidden])] as const),
        Object.freeze(['bh', t([3 * spec.hidden])] as const),
      ]),
    })
  },
  declares: (raw: Readonly<Record<string, unknown>>) => {
    const i = raw['inSize'], h = raw['hidden']
    return isSpecSize(i) && isSpecSize(h) ? { parameters: 3 * h * (i + h + 2), children: [], name: `gru(${i}, ${h})` } : { parameters: 0, children: [] }
  },
})
