/**
 * Builds the shared set-up of a workload with purenet: the data (the bundled MNIST digits, or
 * synthetic samples for W4), the initial weights drawn once with purenet's `random` through the
 * layers' own initialisers (Glorot uniform weights, zero biases), and the batch order of each
 * epoch (`permutation(foldIn(key, epoch), n)`, the order `train.fit` uses). Every contender
 * starts from these, so their losses agree step by step.
 */
import { loadMnist } from '../../examples/mnistData.js'
import { random } from '../../src/index.js'
import type { Tensor } from '../../src/tensor/index.js'
import { purenetNet } from './purenet.js'
import { type Setup, type WorkloadId, workloads } from './spec.js'

const SEED = 4

const synthetic = (n: number): { x: Float32Array; y: Float32Array } => {
  const x = random.uniform(random.key(SEED + 1), [n, 4], { min: -1, max: 1 }).data as Float32Array
  const y = new Float32Array(n * 2)
  for (let i = 0; i < n; i++) {
    const [a, b, c, d] = [x[4 * i]!, x[4 * i + 1]!, x[4 * i + 2]!, x[4 * i + 3]!]
    y[2 * i] = Math.sin(Math.PI * a) * b
    y[2 * i + 1] = c * d + 0.5 * a
  }
  return { x, y }
}

/** Builds a workload's set-up with `epochs` batch orders. */
export const makeSetup = (id: WorkloadId, epochs: number): Setup => {
  const spec = workloads[id]
  const { x, y } = spec.data === 'w4'
    ? synthetic(4096)
    : (() => {
        const train = loadMnist().train
        return { x: train.x.data as Float32Array, y: train.y.data as Float32Array }
      })()
  const n = x.length / spec.sizes[0]!
  const key = random.key(SEED)
  // the layers' own initialisers (Glorot uniform weights, zero biases), as purenet users get them
  const params = purenetNet(spec).init(random.split(key, 2)[0]!) as ReadonlyArray<{ w?: Tensor; b?: Tensor }>
  const weights = params.filter((p) => p.w !== undefined).map((p) => ({ w: Float32Array.from(p.w!.data), b: Float32Array.from(p.b!.data) }))
  const orders = Array.from({ length: epochs }, (_, e) => random.permutation(random.foldIn(key, e), n))
  return { spec, n, x, y, weights, orders }
}
