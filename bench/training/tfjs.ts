/**
 * TensorFlow.js as a contender, on its `cpu` or `wasm` backend: the same MLP as variables
 * initialised from the shared weights, one step as `optimizer.minimize` (tfjs's own
 * `variableGrads` and SGD or Adam) inside `tf.tidy`, the batch gathered on the backend from the whole
 * dataset, and the loss read back every step (`dataSync`), as purenet's step reads it.
 */
import * as tf from '@tensorflow/tfjs'
import { type TfBackend, useTf } from '../harness.js'
import { type Setup, type Trainer, batchIndices } from './spec.js'

/**
 * The tfjs trainer for a set-up on `backend`. Its tensors live on that backend, so the caller
 * must make the backend current (`useTf`) before every run of steps: a tensor used from another
 * backend would be copied across.
 */
export const tfjsTrainer = async (s: Setup, backend: TfBackend): Promise<Trainer> => {
  await useTf(backend)
  const { sizes, activation, loss, learningRate } = s.spec
  const din = sizes[0]!
  const dout = sizes[sizes.length - 1]!
  const X = tf.tensor2d(s.x, [s.n, din])
  const Y = tf.tensor2d(s.y, [s.n, dout])
  const vars = s.weights.map((l, i) => ({
    w: tf.variable(tf.tensor2d(l.w, [sizes[i]!, sizes[i + 1]!]), true, `${s.spec.id}-w${i}-${backend}`),
    b: tf.variable(tf.tensor1d(l.b), true, `${s.spec.id}-b${i}-${backend}`),
  }))
  const varList = vars.flatMap((v) => [v.w, v.b])
  const optimizer = s.spec.optimizer === 'adam' ? tf.train.adam(learningRate, 0.9, 0.999, 1e-8) : tf.train.sgd(learningRate)
  const forward = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = x
    vars.forEach((v, i) => {
      const z = tf.add(tf.matMul(h, v.w), v.b) as tf.Tensor2D
      h = i < vars.length - 1 ? (activation === 'relu' ? tf.relu(z) : tf.tanh(z)) : z
    })
    return h
  }
  const lossOf = (x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar => {
    const out = forward(x)
    return loss === 'mse'
      ? tf.mean(tf.square(tf.sub(out, y)))
      : tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(out)), 1)))
  }
  return {
    step: (t) => {
      const idx = batchIndices(s, t)
      const cost = tf.tidy(() => {
        const i = tf.tensor1d(idx, 'int32')
        const xb = tf.gather(X, i)
        const yb = tf.gather(Y, i)
        return optimizer.minimize(() => lossOf(xb, yb), true, varList)!
      })
      const v = cost.dataSync()[0]!
      cost.dispose()
      return v
    },
    dispose: () => {
      tf.dispose([X, Y, ...varList])
      optimizer.dispose()
    },
  }
}
