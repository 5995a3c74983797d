/**
 * The hand-written reference: what a careful programmer writes without a library. Typed arrays,
 * loops in the cache-friendly order (i-k-j for the products, contiguous inner loops), the
 * backward pass derived by hand, SGD in place, and every buffer allocated once. No autodiff, no
 * allocation per step. Products accumulate in float32 arrays; the loss is summed in double.
 */
import { type Setup, type Trainer, batchIndices } from './spec.js'

/** The plain-JS trainer for a set-up (an MLP of any depth, ReLU or tanh, softmax CE or MSE). */
export const plainTrainer = (s: Setup): Trainer => {
  const { sizes, batchSize: B, learningRate: lr, activation, loss } = s.spec
  const L = sizes.length - 1
  const W = s.weights.map((l) => Float32Array.from(l.w))
  const b = s.weights.map((l) => Float32Array.from(l.b))
  const dW = W.map((w) => new Float32Array(w.length))
  const db = b.map((v) => new Float32Array(v.length))
  // acts[0] is the input batch; acts[l + 1] the output of layer l (after its activation, if any)
  const acts = sizes.map((d) => new Float32Array(B * d))
  const grads = sizes.map((d) => new Float32Array(B * d))
  const din = sizes[0]!
  const dout = sizes[L]!

  return {
    step: (t) => {
      const idx = batchIndices(s, t)
      const m = idx.length
      const x = acts[0]!
      for (let i = 0; i < m; i++) x.set(s.x.subarray(idx[i]! * din, (idx[i]! + 1) * din), i * din)
      // forward: z = a·W + b, then the activation on hidden layers
      for (let l = 0; l < L; l++) {
        const a = acts[l]!, z = acts[l + 1]!, w = W[l]!, bias = b[l]!
        const p = sizes[l]!, q = sizes[l + 1]!
        for (let i = 0; i < m; i++) {
          const zi = i * q
          for (let j = 0; j < q; j++) z[zi + j] = bias[j]!
          for (let k = 0; k < p; k++) {
            const av = a[i * p + k]!
            if (av === 0) continue // ReLU outputs and MNIST backgrounds are mostly 0
            const wk = k * q
            for (let j = 0; j < q; j++) z[zi + j] = z[zi + j]! + av * w[wk + j]!
          }
        }
        if (l < L - 1) {
          const n = m * q
          if (activation === 'relu') for (let k = 0; k < n; k++) { if (z[k]! < 0) z[k] = 0 }
          else for (let k = 0; k < n; k++) z[k] = Math.tanh(z[k]!)
        }
      }
      // loss and its gradient with respect to the last layer's output
      const out = acts[L]!, g = grads[L]!
      let total = 0
      if (loss === 'softmaxCrossEntropy') {
        for (let i = 0; i < m; i++) {
          const o = i * dout
          let mx = -Infinity
          for (let j = 0; j < dout; j++) mx = Math.max(mx, out[o + j]!)
          let sum = 0
          for (let j = 0; j < dout; j++) sum += Math.exp(out[o + j]! - mx)
          const lse = mx + Math.log(sum)
          for (let j = 0; j < dout; j++) {
            const y = s.y[idx[i]! * dout + j]!
            total -= y * (out[o + j]! - lse)
            g[o + j] = (Math.exp(out[o + j]! - lse) - y) / m
          }
        }
        total /= m
      } else {
        const n = m * dout
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < dout; j++) {
            const d = out[i * dout + j]! - s.y[idx[i]! * dout + j]!
            total += d * d
            g[i * dout + j] = (2 * d) / n
          }
        }
        total /= n
      }
      // backward: dW = aᵀ·g, db = column sums of g, and g ← (g·Wᵀ) ⊙ act'(a) for the layer below
      for (let l = L - 1; l >= 0; l--) {
        const a = acts[l]!, gz = grads[l + 1]!, w = W[l]!, gw = dW[l]!, gb = db[l]!
        const p = sizes[l]!, q = sizes[l + 1]!
        gw.fill(0)
        gb.fill(0)
        for (let i = 0; i < m; i++) {
          const gi = i * q
          for (let j = 0; j < q; j++) gb[j] = gb[j]! + gz[gi + j]!
          for (let k = 0; k < p; k++) {
            const av = a[i * p + k]!
            if (av === 0) continue
            const wk = k * q
            for (let j = 0; j < q; j++) gw[wk + j] = gw[wk + j]! + av * gz[gi + j]!
          }
        }
        if (l > 0) {
          const ga = grads[l]!
          for (let i = 0; i < m; i++) {
            for (let k = 0; k < p; k++) {
              const av = a[i * p + k]!
              let sum = 0
              const wk = k * q, gi = i * q
              for (let j = 0; j < q; j++) sum += gz[gi + j]! * w[wk + j]!
              // ReLU: a > 0 where z > 0; tanh: 1 - tanh²
              ga[i * p + k] = activation === 'relu' ? (av > 0 ? sum : 0) : sum * (1 - av * av)
            }
          }
        }
      }
      for (let l = 0; l < L; l++) {
        const w = W[l]!, gw = dW[l]!, bias = b[l]!, gb = db[l]!
        for (let k = 0; k < w.length; k++) w[k] = w[k]! - lr * gw[k]!
        for (let k = 0; k < bias.length; k++) bias[k] = bias[k]! - lr * gb[k]!
      }
      return total
    },
  }
}
