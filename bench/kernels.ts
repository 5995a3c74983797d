/**
 * Kernel benchmark (`npm run bench:kernels`): GFLOP/s of matmul in each orientation (NN = a·b,
 * NT = a·bᵀ, TN = aᵀ·b) and throughput of element-wise maps, a sum reduction and softmax, for
 * purenet's kernels beside TensorFlow.js's `cpu` and `wasm` backends, measured interleaved in
 * one run. Prints medians, spreads and purenet's ratio to each peer.
 *
 *   npm run bench:kernels                 # full run (a few minutes on 2 cores)
 *   npm run bench:kernels -- --quick      # fewer samples, no 1024³
 *   npm run bench:kernels -- --only matmul
 *   npm run bench:kernels -- --only conv  # conv2d forward, and forward + backward (input and filter)
 *   npm run bench:kernels -- --threshold  # where the wasm matmul starts to beat the portable one
 *   npm run bench:kernels -- --threshold-elementwise  # the same for the wasm element-wise maps
 */
import * as tf from '@tensorflow/tfjs'
import { pathToFileURL } from 'node:url'
import * as K from '../src/kernels/index.js'
import { matmulPortable } from '../src/kernels/matmul.js'
import * as W from '../src/kernels/wasm/matmul.js'
import * as WE from '../src/kernels/wasm/elementwise.js'
import { loops32 } from '../src/kernels/float32Loops.js'
import { expLoop, sigmoidLoop, tanhLoop } from '../src/kernels/fastMath.js'
import { type Tensor, fromData, tensor } from '../src/tensor/index.js'
import { grad } from '../src/autodiff/index.js'
import * as O from '../src/ops/index.js'
import { type Case, type Contender, type Result, type TfBackend, machineLine, peakRssMiB, randomData, runCase, table, tfWasmSimd, useTf } from './harness.js'

/** Options of a kernel benchmark run. */
export interface KernelBenchOptions {
  readonly quick: boolean
  readonly only: 'all' | 'matmul' | 'elementwise' | 'conv'
}

type Orientation = 'NN' | 'NT' | 'TN'

const BACKENDS: ReadonlyArray<TfBackend> = ['cpu', 'wasm']

// Stored operand shapes for op(A) = [m, k] and op(B) = [k, n] in an orientation.
const operandShapes = (o: Orientation, m: number, k: number, n: number): [[number, number], [number, number]] => [
  o === 'TN' ? [k, m] : [m, k],
  o === 'NT' ? [n, k] : [k, n],
]

const tfContender = (backend: TfBackend, make: () => () => void): Contender => {
  let run: (() => void) | undefined
  return {
    name: `tfjs-${backend}`,
    before: async () => {
      await useTf(backend)
      run ??= make()
    },
    run: () => run!(),
  }
}

const matmulCase = (o: Orientation, m: number, k: number, n: number): Case => {
  const [sa, sb] = operandShapes(o, m, k, n)
  const da = randomData(sa[0] * sa[1], 1)
  const db = randomData(sb[0] * sb[1], 2)
  const a = tensor(da, { shape: sa })
  const b = tensor(db, { shape: sb })
  const ta = o === 'TN'
  const tb = o === 'NT'
  return {
    name: `matmul ${o} ${m}x${k}·${k}x${n}`,
    work: 2 * m * k * n,
    unit: 'GFLOP/s',
    contenders: [
      { name: 'purenet', run: () => void K.matmul(a, b, ta, tb) },
      { name: 'purenet-ts', run: () => void matmulPortable(a, b, ta, tb) },
      ...BACKENDS.map((backend) =>
        tfContender(backend, () => {
          const x = tf.tensor2d(da, sa)
          const y = tf.tensor2d(db, sb)
          return () => {
            const z = tf.matMul(x, y, ta, tb)
            z.dataSync()
            z.dispose()
          }
        }),
      ),
    ],
  }
}

const unaryCase = (name: string, shape: [number, number], ours: (x: Tensor) => Tensor, theirs: (x: tf.Tensor) => tf.Tensor): Case => {
  const d = randomData(shape[0] * shape[1], 3)
  const x = tensor(d, { shape })
  return {
    name: `${name} [${shape.join(', ')}]`,
    work: shape[0] * shape[1],
    unit: 'Gelem/s',
    contenders: [
      { name: 'purenet', run: () => void ours(x) },
      ...BACKENDS.map((backend) =>
        tfContender(backend, () => {
          const tx = tf.tensor2d(d, shape)
          return () => {
            const z = theirs(tx)
            z.dataSync()
            z.dispose()
          }
        }),
      ),
    ],
  }
}

const binaryCase = (name: 'add' | 'mul', shape: [number, number]): Case => {
  const d1 = randomData(shape[0] * shape[1], 4)
  const d2 = randomData(shape[0] * shape[1], 5)
  const x = tensor(d1, { shape })
  const y = tensor(d2, { shape })
  return {
    name: `${name} [${shape.join(', ')}]`,
    work: shape[0] * shape[1],
    unit: 'Gelem/s',
    contenders: [
      { name: 'purenet', run: () => void K[name](x, y) },
      ...BACKENDS.map((backend) =>
        tfContender(backend, () => {
          const tx = tf.tensor2d(d1, shape)
          const ty = tf.tensor2d(d2, shape)
          return () => {
            const z = name === 'add' ? tf.add(tx, ty) : tf.mul(tx, ty)
            z.dataSync()
            z.dispose()
          }
        }),
      ),
    ],
  }
}

/**
 * A 2-D convolution, NHWC images [n, h, w, c] and HWIO filters [k, k, c, o] (the layout of both
 * purenet and tfjs), stride 1: forward alone, or forward and backward to both the images and the
 * filters (the gradient of <dy, conv2d(x, w)>). Work: 2 FLOPs per multiply-add, forward; three
 * times that with the backward passes. TensorFlow.js's wasm backend (4.22) has no
 * Conv2DBackpropFilter kernel ("Kernel 'Conv2DBackpropFilter' not registered for backend
 * 'wasm'"), so only its cpu backend runs the backward case.
 */
const convCase = (direction: 'forward' | 'forward+backward', [n, h, w, c]: readonly [number, number, number, number], k: number, o: number, padding: 'same' | 'valid'): Case => {
  const dx = randomData(n * h * w * c, 6)
  const dw = randomData(k * k * c * o, 7)
  const x = tensor(dx, { shape: [n, h, w, c] })
  const f = tensor(dw, { shape: [k, k, c, o] })
  const oh = padding === 'same' ? h : h - k + 1
  const ow = padding === 'same' ? w : w - k + 1
  const dy = randomData(n * oh * ow * o, 8)
  const y = tensor(dy, { shape: [n, oh, ow, o] })
  const macs = n * oh * ow * o * k * k * c
  const both = direction === 'forward+backward'
  const ours = both
    ? () => void grad((xs: ReadonlyArray<Tensor>) => O.vdot(O.conv2d(xs[0]!, xs[1]!, { padding }), y))([x, f])
    : () => void O.conv2d(x, f, { padding })
  return {
    name: `conv2d ${direction} [${n}, ${h}, ${w}, ${c}] * ${k}x${k}x${o} ${padding}`,
    work: (both ? 6 : 2) * macs,
    unit: 'GFLOP/s',
    contenders: [
      { name: 'purenet', run: ours },
      ...BACKENDS.filter((backend) => !both || backend === 'cpu').map((backend) =>
        tfContender(backend, () => {
          const tx = tf.tensor4d(dx, [n, h, w, c])
          const tw = tf.tensor4d(dw, [k, k, c, o])
          const ty = tf.tensor4d(dy, [n, oh, ow, o])
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, padding), ty)))
          return () => {
            if (both) {
              const [ga, gb] = g([tx, tw])
              ga!.dataSync()
              gb!.dataSync()
              ga!.dispose()
              gb!.dispose()
            } else {
              const z = tf.conv2d(tx, tw, 1, padding)
              z.dataSync()
              z.dispose()
            }
          }
        }),
      ),
    ],
  }
}

// LeNet's two convolutions on a batch of 64 MNIST digits, and a wider layer.
const CONV_SHAPES: ReadonlyArray<readonly [readonly [number, number, number, number], number, number, 'same' | 'valid']> = [
  [[64, 28, 28, 1], 5, 6, 'same'],
  [[64, 14, 14, 6], 5, 16, 'valid'],
  [[32, 16, 16, 32], 3, 64, 'same'],
]

const MATMUL_SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [64, 784, 128],
  [256, 512, 512],
  [1024, 1024, 1024],
]

/** Runs the kernel benchmark and returns the results (also printed as it goes). */
export const runKernelBench = async (options: KernelBenchOptions): Promise<ReadonlyArray<Result>> => {
  await useTf('wasm')
  console.log(machineLine())
  console.log(`purenet wasm SIMD matmul: ${W.wasmAvailable ? 'on' : 'off (TypeScript fallback)'}; tfjs ${tf.version.tfjs}, wasm backend SIMD: ${await tfWasmSimd()}`)
  const results: Result[] = []
  const go = async (c: Case, big: boolean): Promise<void> => {
    const r = await runCase(c, big ? { samples: options.quick ? 2 : 5, sampleMs: 0 } : { samples: options.quick ? 3 : 7, sampleMs: options.quick ? 20 : 50 })
    results.push(r)
    console.log(`  ${r.name}: ${r.rates.map((x) => `${x.name} ${x.median.toFixed(2)}`).join(', ')} ${r.unit}`)
  }
  if (options.only === 'all' || options.only === 'conv') {
    for (const [shape, k, o, padding] of CONV_SHAPES) {
      await go(convCase('forward', shape, k, o, padding), false)
      await go(convCase('forward+backward', shape, k, o, padding), false)
    }
  }
  if (options.only === 'all' || options.only === 'matmul') {
    for (const [m, k, n] of MATMUL_SHAPES) {
      const big = m * k * n >= 1 << 30
      if (big && options.quick) continue
      for (const o of ['NN', 'NT', 'TN'] as const) await go(matmulCase(o, m, k, n), big)
    }
  }
  if (options.only === 'all' || options.only === 'elementwise') {
    const shape: [number, number] = [256, 1024]
    await go(binaryCase('add', shape), false)
    await go(binaryCase('mul', shape), false)
    await go(unaryCase('exp', shape, (x) => K.exp(x), (x) => tf.exp(x)), false)
    await go(unaryCase('sum(axis 1)', shape, (x) => K.sum(x, [1], false), (x) => tf.sum(x, 1)), false)
    await go(unaryCase('softmax(axis 1)', shape, (x) => K.softmax(x), (x) => tf.softmax(x)), false)
  }
  return results
}

const parse = (argv: ReadonlyArray<string>): KernelBenchOptions => {
  const i = argv.indexOf('--only')
  const only = i >= 0 ? argv[i + 1] : 'all'
  if (only !== 'all' && only !== 'matmul' && only !== 'elementwise' && only !== 'conv') throw new Error(`--only takes matmul, elementwise or conv, got ${only}`)
  return { quick: argv.includes('--quick'), only }
}

// Issue 4's matmul target: every orientation of purenet at least 0.8x tfjs-wasm's forward (NN)
// matmul of the same shape; one line per shape, ratios of medians.
const targetLines = (results: ReadonlyArray<Result>): string[] => {
  const rate = (name: string, who: string): number | undefined => results.find((r) => r.name === name)?.rates.find((x) => x.name === who)?.median
  return MATMUL_SHAPES.flatMap(([m, k, n]) => {
    const shape = `${m}x${k}·${k}x${n}`
    const forward = rate(`matmul NN ${shape}`, 'tfjs-wasm')
    if (forward === undefined) return []
    const cells = (['NN', 'NT', 'TN'] as const).map((o) => {
      const ours = rate(`matmul ${o} ${shape}`, 'purenet')
      return `${o} ${ours === undefined ? '-' : `${(ours / forward).toFixed(2)}x`}`
    })
    return [`  ${shape}: purenet / tfjs-wasm NN (${forward.toFixed(1)} GFLOP/s): ${cells.join(', ')}`]
  })
}

/** Prints the kernel table for a finished run. */
export const printKernelTable = (results: ReadonlyArray<Result>): void => {
  console.log('\nKernels (rates: higher is better; ratios: purenet median / peer median)\n')
  console.log(table(results, 'purenet', ['purenet-ts', 'tfjs-cpu', 'tfjs-wasm']))
  const lines = targetLines(results)
  if (lines.length > 0) console.log(`\nEach orientation against tfjs-wasm's forward matmul (target >= 0.8x):\n${lines.join('\n')}`)
  console.log(`\n${machineLine()} (at the end)`)
}

/**
 * The small-size crossover of the wasm matmul: for small products, the portable kernel against
 * the wasm kernel called directly (copies included), interleaved; prints the ratio per shape.
 * `MIN_MACS` in `src/kernels/wasm/matmul.ts` is set from this.
 */
export const runThreshold = async (): Promise<void> => {
  const shapes: Array<[number, number, number]> = []
  for (const s of [2, 4, 8, 12, 16, 24, 32, 48]) shapes.push([s, s, s])
  for (const [m, k, n] of [[1, 64, 64], [1, 256, 256], [32, 4, 64], [32, 64, 2], [4, 16, 64], [16, 16, 64], [64, 4, 16]] as const) shapes.push([m, k, n])
  const results: Result[] = []
  for (const [m, k, n] of shapes) {
    const a = tensor(randomData(m * k, 1), { shape: [m, k] })
    const b = tensor(randomData(k * n, 2), { shape: [k, n] })
    results.push(await runCase({
      name: `${m}x${k}·${k}x${n} (m·k·n = ${m * k * n})`,
      work: 2 * m * k * n,
      unit: 'GFLOP/s',
      contenders: [
        { name: 'wasm', run: () => void fromData([m, n], W.gemm(a.data as Float32Array, b.data as Float32Array, m, k, n, false, false)) },
        { name: 'portable', run: () => void matmulPortable(a, b, false, false) },
      ],
    }, { samples: 7, sampleMs: 20 }))
  }
  console.log(table(results, 'wasm', ['portable']))
}

/**
 * The crossover of the wasm element-wise maps: for each op and size, the JS float32 loop (fresh
 * output included) against the wasm map called directly (copies in and out included),
 * interleaved; prints the ratio per case. The thresholds in `src/kernels/wasm/elementwise.ts`
 * are set from this.
 */
export const runElementwiseThreshold = async (): Promise<void> => {
  const sizes = [16, 64, 256, 1024, 4096, 16384, 65536, 262144]
  const results: Result[] = []
  const relu = (a: Float32Array, o: Float32Array, n: number): void => { for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v > 0 ? v : 0 } }
  const js1 = { exp: expLoop, tanh: tanhLoop, sigmoid: sigmoidLoop, relu } as const
  for (const n of sizes) {
    const a = randomData(n, 1)
    const b = randomData(n, 2)
    const m = 256
    const row = randomData(m, 3)
    for (const op of ['add', 'mul'] as const) {
      const f = loops32[op]!
      results.push(await runCase({
        name: `${op} n=${n}`, work: n, unit: 'Gelem/s',
        contenders: [
          { name: 'wasm', run: () => void WE.binaryWasm(op, a, b) },
          { name: 'js', run: () => { const o = new Float32Array(n); f.vv(a, 0, b, 0, o, 0, n) } },
        ],
      }, { samples: 5, sampleMs: 20 }))
    }
    if (n >= m) results.push(await runCase({
      name: `add bias row ${m} n=${n}`, work: n, unit: 'Gelem/s',
      contenders: [
        { name: 'wasm', run: () => void WE.binaryRowsWasm('add', a, row, n / m, m, true) },
        { name: 'js', run: () => { const o = new Float32Array(n); loops32.add!.vr(a, row, o, n / m, m) } },
      ],
    }, { samples: 5, sampleMs: 20 }))
    for (const op of ['exp', 'tanh', 'sigmoid', 'relu'] as const) {
      const f = js1[op]
      results.push(await runCase({
        name: `${op} n=${n}`, work: n, unit: 'Gelem/s',
        contenders: [
          { name: 'wasm', run: () => void WE.unaryWasm(op, a) },
          { name: 'js', run: () => { const o = new Float32Array(n); f(a, o, n) } },
        ],
      }, { samples: 5, sampleMs: 20 }))
    }
  }
  console.log(table(results, 'wasm', ['js']))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes('--threshold-elementwise')) {
  console.log(machineLine())
  await runElementwiseThreshold()
  console.log(`${machineLine()} (at the end)`)
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes('--threshold')) {
  await runThreshold()
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runKernelBench(parse(process.argv.slice(2)))
  printKernelTable(results)
  console.log(`\npeak RSS ${peakRssMiB().toFixed(0)} MiB`)
}
