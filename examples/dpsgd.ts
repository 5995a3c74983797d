/**
 * Differentially private SGD (Abadi et al., "Deep Learning with Differential Privacy", 2016) on the
 * bundled MNIST split, with per-example gradients from `vmap`. Each step:
 * 1. draws a batch by Poisson sampling: every training example joins with probability q, so the
 *    batch size varies from step to step (the sampling the accountant below assumes);
 * 2. computes every example's gradient in one `vmap(grad(loss))`, clips each to L2 norm at most C,
 *    and sums them;
 * 3. adds Gaussian noise N(0, σ²C²) to every coordinate (from the step's key), divides by the
 *    expected batch size qN and takes an SGD step.
 *
 * The privacy parameters are printed: the noise multiplier σ, the clipping norm C, the sampling
 * rate q, the number of steps T, and ε at δ = 1e-5 from the accountant `epsilon` below: the Rényi
 * DP of the sampled Gaussian mechanism at integer orders (Mironov, Talwar and Zhang, "Rényi
 * Differential Privacy of the Sampled Gaussian Mechanism", 2019, section 3.3), composed over T
 * steps and converted to (ε, δ) by ε = min over α of T·RDP(α) + log(1/δ)/(α - 1) (Mironov 2017,
 * proposition 3). It is the classical conversion, a little looser than the one in TensorFlow
 * Privacy and Opacus; it is an example, not an audited privacy library: do not use it to make
 * privacy claims about real data.
 *
 *   npx tsx examples/dpsgd.ts [--quick] [--steps N] [--sigma 1.1] [--clip 1] [--seed N]
 */
import * as t from 'io-ts'
import { join } from 'node:path'
import { type Tensor, data, grad, losses, nn, ops, plot, random, tree, vmap } from 'purenet'
import { type Flag, bool, command, natural, positive, positiveInt } from './cli.js'
import { loadMnist } from './mnistData.js'

/** 784-64-10 with ReLU units. */
export const network = nn.serial(nn.dense(784, 64, { weights: 'heNormal' }), nn.relu, nn.dense(64, 10))
type Params = ReturnType<typeof network.init>

// log(e^a + e^b) without overflow
const logAddExp = (a: number, b: number): number => (a === -Infinity ? b : b === -Infinity ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b))))

// log of the binomial coefficient C(n, k)
const logBinomial = (n: number, k: number): number => {
  let s = 0
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i)
  return s
}

/**
 * The Rényi DP of one step of the sampled Gaussian mechanism at an integer order α ≥ 2 (Mironov et
 * al. 2019, section 3.3): log(Σ_k C(α, k) (1 - q)^(α-k) q^k exp((k² - k) / (2σ²))) / (α - 1).
 */
export const rdpSampledGaussian = (q: number, sigma: number, alpha: number): number => {
  if (q === 0) return 0
  if (q === 1) return alpha / (2 * sigma * sigma)
  let logA = -Infinity
  for (let k = 0; k <= alpha; k++) {
    logA = logAddExp(logA, logBinomial(alpha, k) + (alpha - k) * Math.log1p(-q) + k * Math.log(q) + (k * k - k) / (2 * sigma * sigma))
  }
  return logA / (alpha - 1)
}

/** ε at `delta` after `steps` steps of DP-SGD with sampling rate q and noise multiplier σ (orders 2..256). */
export const epsilon = (q: number, sigma: number, steps: number, delta: number): { readonly epsilon: number; readonly order: number } => {
  let best = { epsilon: Infinity, order: 0 }
  for (let alpha = 2; alpha <= 256; alpha++) {
    const e = steps * rdpSampledGaussian(q, sigma, alpha) + Math.log(1 / delta) / (alpha - 1)
    if (e < best.epsilon) best = { epsilon: e, order: alpha }
  }
  return best
}

/** Options of a run. */
export interface DpSgdOptions {
  readonly steps?: number
  /** The noise multiplier σ: the noise's standard deviation is σ·C. */
  readonly sigma?: number
  /** The clipping norm C of each example's gradient. */
  readonly clip?: number
  /** The expected batch size qN. */
  readonly batch?: number
  readonly learningRate?: number
  readonly seed?: number
  readonly trainPerClass?: number
  readonly testPerClass?: number
  readonly delta?: number
}

/** Trains with DP-SGD; returns the test accuracy, the privacy parameters and the loss curve. */
export const run = (options: DpSgdOptions = {}) => {
  const { steps = 400, sigma = 1.1, clip = 1, batch = 128, learningRate = 0.5, seed = 0, delta = 1e-5 } = options
  const { train, test } = loadMnist({ trainPerClass: options.trainPerClass ?? 800, testPerClass: options.testPerClass ?? 201 })
  const n = train.x.shape[0]!
  const q = batch / n
  const [ki, ks] = random.split(random.key(seed), 2) as [random.Key, random.Key]
  let params: Params = network.init(ki)
  const lossOf = (p: Params, x: Tensor, y: Tensor): Tensor => losses.softmaxCrossEntropy(network.apply(p)(ops.reshape(x, [1, 784])), ops.reshape(y, [1, 10]))
  // every example's gradient, clipped to norm C, in one batched computation
  const clipped = vmap((p: Params, x: Tensor, y: Tensor) => {
    const g = grad((r: Params) => lossOf(r, x, y))(p)
    const scale = ops.minimum(1, ops.div(clip, ops.add(tree.norm(g), 1e-12)))
    return tree.map(g, (leaf) => ops.mul(leaf, scale))
  }, { inAxes: [undefined, 0, 0] })
  const losses_: number[] = []
  const stepKeys = random.split(ks, steps)
  for (let s = 0; s < steps; s++) {
    const [kb, kn] = random.split(stepKeys[s]!, 2) as [random.Key, random.Key]
    const u = random.uniform(kb, [n]).data
    const picked: number[] = []
    for (let i = 0; i < n; i++) if (u[i]! < q) picked.push(i)
    if (picked.length === 0) continue // an empty batch (rare): skipped, which the accountant's count of T steps covers
    const b = data.take(train, picked)
    const noiseKeys = random.split(kn, tree.leaves(params).length)
    let k = 0
    const summed = tree.map(clipped(params, b.x, b.y), (g) => ops.sum(g, 0))
    // σ = 0 is plain SGD on the same batches (the baseline), without noise
    const noisy = tree.map(summed, (g) => ops.div(sigma === 0 ? g : ops.add(g, random.normal(noiseKeys[k++]!, g.shape, { std: sigma * clip })), q * n))
    losses_.push(losses.softmaxCrossEntropy(network.apply(params)(b.x), b.y).data[0]!)
    params = tree.addScaled(params, noisy, -learningRate)
  }
  const accuracy = losses.accuracy(network.apply(params)(test.x), test.y)
  const privacy = sigma === 0 ? { epsilon: Infinity, order: 0 } : epsilon(q, sigma, steps, delta)
  return { accuracy, sigma, clip, q, steps, delta, learningRate, epsilon: privacy.epsilon, order: privacy.order, losses: losses_, trainSize: n, testSize: test.x.shape[0]! }
}

/** The loss curves of a DP-SGD run and of the same training without privacy (σ = 0, no clipping). */
export const picture = (dp: ReturnType<typeof run>, plain: ReturnType<typeof run>): plot.VegaLiteSpec =>
  // in a vconcat of one, so that the title with the privacy parameters sits above the panel's own
  plot.vconcat(
    {
      text: `DP-SGD on MNIST: ${(100 * dp.accuracy).toFixed(1)}% test accuracy at ε = ${dp.epsilon.toFixed(2)}, δ = ${dp.delta}; without privacy ${(100 * plain.accuracy).toFixed(1)}%`,
      subtitle: `784-64-10 ReLU; noise multiplier σ = ${dp.sigma}, clipping norm C = ${dp.clip}, Poisson sampling rate q = ${dp.q.toFixed(4)}, T = ${dp.steps} steps, SGD ${dp.learningRate}`,
    },
    plot.trainingCurves([
      { name: `DP-SGD (σ = ${dp.sigma}, C = ${dp.clip})`, loss: dp.losses },
      { name: 'SGD (no clipping, no noise)', loss: plain.losses },
    ]),
  )

const flags = {
  out: { type: 'string', codec: t.string, help: 'also train without privacy and write dpsgd.svg (both loss curves) into this folder' } satisfies Flag<string>,
  quick: bool('a short run on a subset (40 steps, 100 digits per class)'),
  steps: positiveInt('steps (default 400)'),
  sigma: positive('noise multiplier σ (default 1.1)'),
  clip: positive('clipping norm C (default 1)'),
  seed: natural('random seed (default 0)'),
}

command({ name: 'dpsgd', usage: 'npx tsx examples/dpsgd.ts', url: import.meta.url }, flags, async (f) => {
  const quick = f.quick === true
  const options: DpSgdOptions = {
    steps: f.steps ?? (quick ? 40 : 400), sigma: f.sigma ?? 1.1, clip: f.clip ?? 1, seed: f.seed ?? 0,
    ...(quick ? { trainPerClass: 100, testPerClass: 50, batch: 64 } : {}),
  }
  const r = run(options)
  process.stdout.write([
    `DP-SGD on ${r.trainSize} MNIST digits: test accuracy ${(100 * r.accuracy).toFixed(1)}% on ${r.testSize} digits`,
    `noise multiplier σ = ${r.sigma}, clipping norm C = ${r.clip}, sampling rate q = ${r.q.toFixed(4)} (Poisson), steps T = ${r.steps}`,
    `ε = ${r.epsilon.toFixed(2)} at δ = ${r.delta} (RDP of the sampled Gaussian mechanism, best order α = ${r.order}; an example accountant, not an audited one)`,
  ].join('\n') + '\n')
  if (f.out !== undefined) {
    const plain = run({ ...options, sigma: 0, clip: Infinity })
    process.stdout.write(`the same training without privacy: test accuracy ${(100 * plain.accuracy).toFixed(1)}%\n`)
    const { writeSvg } = await import('../src/plot/render.js')
    await writeSvg(join(f.out, 'dpsgd.svg'), picture(r, plain))
    process.stdout.write(`wrote ${join(f.out, 'dpsgd.svg')}\n`)
  }
})
