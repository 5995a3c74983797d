/**
 * Inference throughput of a W1-size network (784-128-10, ReLU) in purenet and in ONNX Runtime
 * (onnxruntime-web's WebAssembly backend in Node, one thread, SIMD), on the file
 * `onnx.exportModel` writes for the same parameters. Interleaved: for each batch size, purenet
 * and ONNX Runtime take samples in turn, and the table gives medians, spreads and the ratio.
 *
 *   npm run bench:onnx                   # batch sizes 1, 64 and 1024, 9 samples of ~300 ms each
 *   npm run bench:onnx -- --quick        # 3 samples of ~100 ms
 */
import * as E from 'fp-ts/lib/Either.js'
import { nn, onnx, random } from 'purenet'
import { fromData } from '../src/tensor/index.js'
import { runSession, session } from '../src/onnx/fixtures/ort.js'
import { machineLine, randomData } from './harness.js'

const quick = process.argv.includes('--quick')
const samples = quick ? 3 : 9
const sampleMs = quick ? 100 : 300

const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
const params = net.init(random.key(0))
const bytes = onnx.exportModel(net, params)
if (E.isLeft(bytes)) throw new Error(bytes.left.message)
const ort = await session(bytes.right)

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2
}

/** Milliseconds per run of `run`, over `iters` runs. */
const time = async (run: () => unknown, iters: number): Promise<number> => {
  const t0 = performance.now()
  for (let i = 0; i < iters; i++) await run()
  return (performance.now() - t0) / iters
}

console.log(`ONNX inference, ${net.name}, float32. ${machineLine()}`)
console.log(`onnxruntime-web ${(await import('onnxruntime-web')).env.versions.web ?? '?'}, wasm backend, 1 thread; ${samples} interleaved samples of ~${sampleMs} ms\n`)
console.log('| batch | purenet samples/s median (min-max) | ONNX Runtime samples/s median (min-max) | purenet / ONNX Runtime |')
console.log('| --- | --- | --- | --- |')
for (const batch of [1, 64, 1024]) {
  const data = randomData(batch * 784, batch)
  const x = fromData([batch, 784], data)
  const apply = net.apply(params)
  const contenders = [
    { name: 'purenet', run: () => apply(x).data },
    { name: 'ort', run: () => runSession(ort, data, [batch, 784]) },
  ]
  // Warm-up, which also sets how many runs fill a sample.
  const iters: number[] = []
  for (const c of contenders) {
    await c.run()
    iters.push(Math.max(1, Math.round(sampleMs / Math.max(await time(c.run, 3), 1e-3))))
  }
  const rates: number[][] = contenders.map(() => [])
  for (let s = 0; s < samples; s++) {
    for (const [i, c] of contenders.entries()) rates[i]!.push((batch * 1000) / (await time(c.run, iters[i]!)))
  }
  const cell = (r: ReadonlyArray<number>): string => `${Math.round(median(r)).toLocaleString('en-US')} (${Math.round(Math.min(...r)).toLocaleString('en-US')}-${Math.round(Math.max(...r)).toLocaleString('en-US')})`
  console.log(`| ${batch} | ${cell(rates[0]!)} | ${cell(rates[1]!)} | ${(median(rates[0]!) / median(rates[1]!)).toFixed(2)}x |`)
}
await ort.release()
