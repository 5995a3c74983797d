#!/usr/bin/env node
// A/B of two builds of the WebAssembly gemm (issue 12 point 1): compiles src/kernels/wasm/gemm.as
// and a variant of it (an edited copy) with the same AssemblyScript options as
// scripts/build-wasm.mjs, then times both on the products of W1, W2 and 256x512·512x512 in
// interleaved rounds, by CPU time (process.cpuUsage: steadier than wall time on a busy machine),
// and prints GFLOP/s (median and best), the ratio, and the largest difference of the results.
//
//   node bench/gemm-ab.mjs path/to/variant.as [rounds]      (the kernel against itself: give gemm.as)
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const [variant, roundsArg] = process.argv.slice(2)
if (variant === undefined) throw new Error('usage: node bench/gemm-ab.mjs path/to/variant.as [rounds]')
const rounds = Number(roundsArg ?? 9)
const asc = (await import('assemblyscript/asc')).default
const compile = async (file) => {
  const r = await asc.compileString({ 'gemm.ts': readFileSync(file, 'utf8') }, { optimizeLevel: 3, shrinkLevel: 0, noAssert: true, runtime: 'stub', enable: ['simd'], initialMemory: 1 })
  if (r.error) throw new Error(`${file}: ${r.stderr.toString()}`)
  return new WebAssembly.Instance(new WebAssembly.Module(r.binary), {}).exports
}
const mods = [await compile(join(root, 'src/kernels/wasm/gemm.as')), await compile(variant)]
const shapes = [['NN', 64, 784, 128], ['TN', 784, 64, 128], ['NN', 256, 784, 512], ['TN', 784, 256, 512], ['NT', 64, 10, 128], ['NN', 256, 512, 512], ['NT', 256, 512, 512]]
const align = (x) => (x + 63) & ~63
const rand = (n, s) => { const a = new Float32Array(n); let x = s; for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; a[i] = x / 4294967296 - 0.5 } return a }
const setup = (w, [o, m, k, n]) => {
  const a = align(w.SCRATCH_END.value), b = align(a + 4 * m * k), c = align(b + 4 * k * n), ap = align(c + 4 * m * n), bp = align(ap + w.packedABytes(m, k)), end = bp + w.packedBBytes(k, n)
  if (end > w.memory.buffer.byteLength) w.memory.grow(Math.ceil((end - w.memory.buffer.byteLength) / 65536))
  const heap = new Float32Array(w.memory.buffer)
  heap.set(rand(m * k, 1), a >> 2)
  heap.set(rand(k * n, 2), b >> 2)
  const ta = o === 'TN' ? 1 : 0, tb = o === 'NT' ? 1 : 0
  return { run: () => w.gemm(a, b, c, m, k, n, ta, tb, ap, bp), out: () => new Float32Array(w.memory.buffer).slice(c >> 2, (c >> 2) + m * n) }
}
const median = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1]
console.log(`A = src/kernels/wasm/gemm.as, B = ${variant}; ${rounds} interleaved rounds, CPU time`)
for (const s of shapes) {
  const flop = 2 * s[1] * s[2] * s[3]
  const reps = Math.max(1, Math.round(3e8 / flop))
  const runs = mods.map((w) => setup(w, s))
  const outs = runs.map((r) => { r.run(); return r.out() })
  let maxd = 0
  for (let i = 0; i < outs[0].length; i++) maxd = Math.max(maxd, Math.abs(outs[0][i] - outs[1][i]))
  const times = mods.map(() => [])
  for (let r = 0; r < rounds; r++) {
    runs.forEach((x, i) => {
      const t = process.cpuUsage()
      for (let j = 0; j < reps; j++) x.run()
      const d = process.cpuUsage(t)
      times[i].push((d.user + d.system) / 1000 / reps)
    })
  }
  const g = times.map((t) => flop / median(t) / 1e6)
  const best = times.map((t) => flop / Math.min(...t) / 1e6)
  console.log(`${s[0]} ${s[1]}x${s[2]}·${s[2]}x${s[3]}: A ${g[0].toFixed(1)} (best ${best[0].toFixed(1)}) B ${g[1].toFixed(1)} (best ${best[1].toFixed(1)}) GFLOP/s, B/A ${(g[1] / g[0]).toFixed(2)}, max |A-B| ${maxd.toExponential(1)}`)
}
