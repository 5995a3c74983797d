/**
 * The long short-term memory (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et
 * al., 2000) over a sequence, built on `ops.scan` as `gru`: its gradient is backpropagation
 * through time, from the ops of each step. The carry is the pair (h, c), one tensor [batch, 2·hidden].
 */
import { add, concat, matmul, mul, reshape, scan, sigmoid, slice, tanh, transpose } from '../ops/index.js'
import { type Key, split } from '../random/index.js'
import { type DType, ShapeError, type Tensor, zeros } from '../tensor/index.js'
import { glorotUniform } from './initializers.js'
import type { Layer } from './Layer.js'
import { type LayerKindDefinition, buildWith, dtypeField, isSpecSize, layerKind, sizeField } from './LayerKind.js'
import type { LstmSpec } from './LayerSpec.js'

/**
 * The parameters of `lstm`: input weights `wi` [inSize, 4·hidden], recurrent weights `wh`
 * [hidden, 4·hidden] and biases `bi`, `bh` [4·hidden], gates in the order input, forget, cell,
 * output (PyTorch's `weight_ih_l0`, `weight_hh_l0` transposed, and its two biases).
 * @example
 * ```ts
 * const p: nn.LstmParams = nn.lstm(16, 32, 8).init(random.key(0))
 * p.wi.shape // [16, 128]
 * ```
 * @category layers
 */
export type LstmParams = {
  readonly wi: Tensor
  readonly wh: Tensor
  readonly bi: Tensor
  readonly bh: Tensor
}

const gate = (t: Tensor, hidden: number, k: number): Tensor => slice(t, [0, k * hidden], [t.shape[0]!, hidden])

/**
 * An LSTM from `inSize` features to `hidden` units over sequences of `length` steps: for input
 * [batch, length, inSize] (or rows [batch, length · inSize]) it returns every hidden state,
 * [batch, length, hidden], starting from h = c = 0, with PyTorch's `nn.LSTM` equations:
 * i = σ(x·Wi + bii + h·Ui + bhi), f = σ(x·Wf + bif + h·Uf + bhf), g = tanh(x·Wg + big + h·Ug + bhg),
 * o = σ(x·Wo + bio + h·Uo + bho), c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c'). Sizes: length · inSize in,
 * length · hidden out. Biases start at zero (PyTorch draws them uniformly; a forget bias of 1, as
 * Jozefowicz et al. 2015 advise, is a `produce` edit of `bi`).
 * @example
 * ```ts
 * const net = nn.serial(nn.embedding(65, 16, { length: 32 }), nn.lstm(16, 64, 32), nn.flatten, nn.dense(2048, 65))
 * ```
 * @category layers
 */
export const lstm = (inSize: number, hidden: number, length: number, options: { readonly dtype?: DType } = {}): Layer<LstmParams, number, number> => {
  const name = `lstm(${inSize}, ${hidden}, length ${length})`
  for (const [what, n] of [['inSize', inSize], ['hidden', hidden], ['length', length]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name}: ${what} must be a positive integer, got ${n}`)
  }
  const dtype = options.dtype ?? 'float32'
  const shapes = { wi: [inSize, 4 * hidden], wh: [hidden, 4 * hidden], bi: [4 * hidden], bh: [4 * hidden] } as const
  return Object.freeze({
    name,
    inSize: length * inSize,
    outSize: length * hidden,
    spec: Object.freeze({ kind: 'lstm' as const, inSize, hidden, length, dtype }),
    init: (key: Key): LstmParams => {
      const [k1, k2] = split(key, 2) as [Key, Key]
      return Object.freeze({ wi: glorotUniform(k1, shapes.wi, dtype), wh: glorotUniform(k2, shapes.wh, dtype), bi: zeros(shapes.bi, { dtype }), bh: zeros(shapes.bh, { dtype }) })
    },
    apply: (params: LstmParams) => {
      for (const k of ['wi', 'wh', 'bi', 'bh'] as const) {
        const t = (params as Partial<LstmParams>)[k]
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
        const projected = reshape(add(matmul(reshape(seq, [batch * length, inSize]), wi), bi), [batch, length, 4 * hidden])
        const [, hs] = scan((hc: Tensor, xp: Tensor) => {
          const h = gate(hc, hidden, 0)
          const c = gate(hc, hidden, 1)
          const pre = add(xp, add(matmul(h, wh), bh))
          const c2 = add(mul(sigmoid(gate(pre, hidden, 1)), c), mul(sigmoid(gate(pre, hidden, 0)), tanh(gate(pre, hidden, 2))))
          const h2 = mul(sigmoid(gate(pre, hidden, 3)), tanh(c2))
          return [concat([h2, c2], 1), h2] as const
        }, zeros([batch, 2 * hidden], { dtype: seq.dtype }), transpose(projected, [1, 0, 2]))
        return transpose(hs, [1, 0, 2])
      }
    },
  })
}

/**
 * The fields of an lstm spec as `fromSpec` decodes them. @category specs
 * @example
 * ```ts
 * const fields: nn.LstmFields = { inSize: 16, hidden: 64, length: 32 }
 * ```
 */
export type LstmFields = { readonly inSize: number; readonly hidden: number; readonly length: number; readonly dtype?: DType }

/**
 * The layer kind `lstm`: `{ kind: 'lstm', inSize, hidden, length, dtype? }`, parameters `{ wi, wh, bi, bh }`. @category specs
 * @example
 * ```ts
 * nn.lstmKind.kind // 'lstm'
 * ```
 */
export const lstmKind: LayerKindDefinition<LstmFields, LstmSpec> = layerKind({
  kind: 'lstm' as const,
  fields: { inSize: sizeField, hidden: sizeField, length: sizeField, dtype: dtypeField },
  build: (f: LstmFields, context: { readonly path: string }) => buildWith(context.path, () => lstm(f.inSize, f.hidden, f.length, { dtype: f.dtype ?? 'float32' })),
  layout: (spec: LstmSpec) => {
    const t = (shape: ReadonlyArray<number>) => Object.freeze({ node: 'tensor' as const, shape: Object.freeze([...shape]), dtype: spec.dtype })
    return Object.freeze({
      node: 'record' as const,
      fields: Object.freeze([
        Object.freeze(['wi', t([spec.inSize, 4 * spec.hidden])] as const),
        Object.freeze(['wh', t([spec.hidden, 4 * spec.hidden])] as const),
        Object.freeze(['bi', t([4 * spec.hidden])] as const),
        Object.freeze(['bh', t([4 * spec.hidden])] as const),
      ]),
    })
  },
  declares: (raw: Readonly<Record<string, unknown>>) => {
    const i = raw['inSize'], h = raw['hidden']
    return isSpecSize(i) && isSpecSize(h) ? { parameters: 4 * h * (i + h + 2), children: [], name: `lstm(${i}, ${h})` } : { parameters: 0, children: [] }
  },
})
