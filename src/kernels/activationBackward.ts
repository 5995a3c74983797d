/**
 * Fused backward kernels of the common activations: the cotangent times the activation's
 * derivative in one pass, instead of the two or three element-wise kernels (and buffers) the
 * composed rule needs. They take two tensors of one shape and dtype (the caller checks).
 * A float32 loop of its own keeps V8's code specialised to one array type, as in
 * `float32Loops.ts`; the expressions are the same for both dtypes.
 */
import { type Data, type Tensor, alloc, fromData } from '../tensor/index.js'

/**
 * Which derivative: `tanh` gives dy·(1 - v²) with v = tanh(x); `sigmoid` gives dy·v·(1 - v) with
 * v = σ(x); `relu` gives dy·[v > 0] with v = x, and NaN where x is NaN (a NaN stays visible).
 * @category kernels
 */
export type ActivationBackwardKernel = 'tanh' | 'sigmoid' | 'relu'

const tanh32 = (d: Float32Array, v: Float32Array, o: Float32Array): void => { for (let i = 0; i < o.length; i++) { const y = v[i]!; o[i] = d[i]! * (1 - y * y) } }
const sigmoid32 = (d: Float32Array, v: Float32Array, o: Float32Array): void => { for (let i = 0; i < o.length; i++) { const y = v[i]!; o[i] = d[i]! * (y * (1 - y)) } }
const relu32 = (d: Float32Array, v: Float32Array, o: Float32Array): void => { for (let i = 0; i < o.length; i++) { const x = v[i]!; o[i] = x > 0 ? d[i]! : x <= 0 ? 0 : x } }

const tanh64 = (d: Data, v: Data, o: Data): void => { for (let i = 0; i < o.length; i++) { const y = v[i]!; o[i] = d[i]! * (1 - y * y) } }
const sigmoid64 = (d: Data, v: Data, o: Data): void => { for (let i = 0; i < o.length; i++) { const y = v[i]!; o[i] = d[i]! * (y * (1 - y)) } }
const relu64 = (d: Data, v: Data, o: Data): void => { for (let i = 0; i < o.length; i++) { const x = v[i]!; o[i] = x > 0 ? d[i]! : x <= 0 ? 0 : x } }

/** dy times the derivative of an activation, from `v` (the output for tanh and sigmoid, the input for relu). @category kernels */
export const activationBackward = (op: ActivationBackwardKernel, dy: Tensor, v: Tensor): Tensor => {
  const o = alloc(dy.dtype, dy.size)
  const d = dy.data
  const w = v.data
  if (d instanceof Float32Array && w instanceof Float32Array && o instanceof Float32Array) {
    if (op === 'tanh') tanh32(d, w, o)
    else if (op === 'sigmoid') sigmoid32(d, w, o)
    else relu32(d, w, o)
  } else if (op === 'tanh') tanh64(d, w, o)
  else if (op === 'sigmoid') sigmoid64(d, w, o)
  else relu64(d, w, o)
  return fromData(dy.shape, o)
}
