/**
 * Fused backward kernels of the common activations: the cotangent times the activation's
 * derivative in one pass, instead of the two or three element-wise kernels (and buffers) the
 * composed rule needs. They take two tensors of one shape and dtype (the caller checks).
 * A float32 loop of its own keeps V8's code specialised to one array type, as in
 * `float32Loops.ts`; the expressions are the same for both dtypes.
 */
import { type Data, type Tensor, alloc, fromData } from '../tensor/index.js'

type Loop32 = (d: Float32Array, v: Float32Array, o: Float32Array) => void
type Loop = (d: Data, v: Data, o: Data) => void

const tanh32: Loop32 = (d, v, o) => { for (let i = 0; i < o.length; i++) { const y = v[i]!; o[i] = d[i]! * (1 - y * y) } }
const sigmoid32: Loop32 = (d, v, o) => { for (let i = 0; i < o.length; i++) { const y = v[i]!; o[i] = d[i]! * (y * (1 - y)) } }
const relu32: Loop32 = (d, v, o) => { for (let i = 0; i < o.length; i++) { const x = v[i]!; o[i] = x > 0 ? d[i]! : x <= 0 ? 0 : x } }

const tanh64: Loop = (d, v, o) => { for (let i = 0; i < o.length; i++) { const y = v[i]!; o[i] = d[i]! * (1 - y * y) } }
const sigmoid64: Loop = (d, v, o) => { for (let i = 0; i < o.length; i++) { const y = v[i]!; o[i] = d[i]! * (y * (1 - y)) } }
const relu64: Loop = (d, v, o) => { for (let i = 0; i < o.length; i++) { const x = v[i]!; o[i] = x > 0 ? d[i]! : x <= 0 ? 0 : x } }

const run = (loop: Loop, loop32: Loop32, dy: Tensor, v: Tensor): Tensor => {
  const o = alloc(dy.dtype, dy.size)
  const d = dy.data
  const w = v.data
  if (d instanceof Float32Array && w instanceof Float32Array && o instanceof Float32Array) loop32(d, w, o)
  else loop(d, w, o)
  return fromData(dy.shape, o)
}

/** dy·(1 - y²) with y = tanh(x): the VJP of tanh. @category kernels */
export const tanhBackward = (dy: Tensor, y: Tensor): Tensor => run(tanh64, tanh32, dy, y)

/** dy·y·(1 - y) with y = σ(x): the VJP of the logistic sigmoid. @category kernels */
export const sigmoidBackward = (dy: Tensor, y: Tensor): Tensor => run(sigmoid64, sigmoid32, dy, y)

/** dy·[x > 0] from the input x: the VJP of relu, NaN where x is NaN (a NaN stays visible). @category kernels */
export const reluBackward = (dy: Tensor, x: Tensor): Tensor => run(relu64, relu32, dy, x)
