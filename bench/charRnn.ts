/**
 * The character-level GRU training workload of examples/charRnn.ts: embedding 51 -> 32, GRU 128
 * units over windows of 64 characters, a dense layer 128 -> 51 at every step, mean softmax
 * cross-entropy, Adam lr 0.003, batch 32 windows of the bundled corpus. purenet's compiled step
 * (`train.step`, the default), its eager step (`jit: false`) and PyTorch 1.13 on one thread (a
 * child process, bench/charRnn_torch.py, nn.Embedding + nn.GRU + nn.Linear) start from the same
 * weights and train on the same batches; their losses are printed side by side.
 *
 * After one untimed turn each (the compiled step traces and compiles its program first), turns are
 * interleaved (jit, eager, PyTorch, jit, ...), each `--steps` steps; the median turn gives steps/s,
 * and the ratios are what to read on a shared machine. CPU time per step (the process's, so a
 * busy machine's waiting is left out; one compute thread each, though V8's collector may add
 * threads of its own) is printed beside the wall time.
 *
 *   npx tsx bench/charRnn.ts [--steps 5] [--rounds 5] [--no-torch] [--no-eager]
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createInterface } from 'node:readline'
import { type Tensor, data, optim, random, toFlatArray, train } from 'purenet'
import { charNet, encode, loadCorpus, sequenceLoss, vocabulary, windows } from '../examples/charRnn.js'

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const steps = arg('steps', 5)
const rounds = arg('rounds', 5)
const withTorch = !process.argv.includes('--no-torch')
const withEager = !process.argv.includes('--no-eager')
const [EMBED, HIDDEN, WINDOW, BATCH, LR] = [32, 128, 64, 32, 0.003]

const text = loadCorpus()
const vocab = vocabulary(text)
const sizes = { vocab: vocab.chars.length, embed: EMBED, hidden: HIDDEN }
const net = charNet(sizes, WINDOW)
const loss = sequenceLoss(sizes.vocab)
const optimizer = optim.adam(LR)
const all = windows(encode(vocab, text), WINDOW, WINDOW / 4)
const batches = [...data.batches(data.shuffle(random.key(1), all), BATCH, { dropLast: true })]
const initial = train.initialState({ net, optimizer, key: random.key(0) })

/** A turn's wall time, CPU time of the process (robust to a busy machine), and losses. */
type Turn = { readonly ms: number; readonly cpuMs: number; readonly losses: number[] }

const contender = (jit: boolean) => {
  const step = train.step({ net, loss, optimizer, jit })
  let [state, k] = [initial, 0]
  return (): Turn => {
    const out: number[] = []
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    for (let i = 0; i < steps; i++) {
      const r = step(state, batches[k++ % batches.length]!)
      state = r.state
      out.push(r.loss)
    }
    const c = process.cpuUsage(c0)
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, losses: out }
  }
}

const torchTurn = await (async () => {
  if (!withTorch) return undefined
  const file = path.join(os.tmpdir(), `purenet-charrnn-${process.pid}.json`)
  const list = (t: Tensor): number[] => Array.from(toFlatArray(t))
  const [e, g, d] = initial.params
  writeFileSync(file, JSON.stringify({
    vocab: sizes.vocab, embed: EMBED, hidden: HIDDEN, window: WINDOW, lr: LR,
    table: list(e.table), wi: list(g.wi), wh: list(g.wh), bi: list(g.bi), bh: list(g.bh), w: list(d.w), b: list(d.b),
    xs: batches.map((b) => list(b.x)), ys: batches.map((b) => list(b.y)),
  }))
  const child = spawn('/usr/bin/python3', [path.join(import.meta.dirname, 'charRnn_torch.py'), file], { env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }, stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const next = async (): Promise<string> => {
    const r = await lines.next()
    if (r.done === true) throw new Error('bench/charRnn_torch.py ended early (is PyTorch installed at /usr/bin/python3?)')
    return r.value
  }
  console.log(`PyTorch: ${await next()}`)
  return Object.assign(async (): Promise<Turn> => {
    child.stdin!.write(`steps ${steps}\n`)
    return JSON.parse(await next()) as Turn
  }, { close: () => child.stdin!.end() })
})()

const turns: Record<string, () => Promise<Turn>> = {
  'purenet jit': (() => { const f = contender(true); return async () => f() })(),
  ...(withEager ? { 'purenet eager': (() => { const f = contender(false); return async () => f() })() } : {}),
  ...(torchTurn === undefined ? {} : { pytorch: torchTurn }),
}
const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const times: Record<string, number[]> = Object.fromEntries(Object.keys(turns).map((k) => [k, []]))
const cpuTimes: Record<string, number[]> = Object.fromEntries(Object.keys(turns).map((k) => [k, []]))
const lossRows: Record<string, number[]> = Object.fromEntries(Object.keys(turns).map((k) => [k, []]))
console.log(`char GRU training (vocab ${sizes.vocab}, embed ${EMBED}, hidden ${HIDDEN}, window ${WINDOW}, batch ${BATCH}, Adam ${LR}): ${rounds} interleaved turns of ${steps} steps; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
for (const [name, turn] of Object.entries(turns)) lossRows[name]!.push(...(await turn()).losses)
for (let r = 0; r < rounds; r++) {
  for (const [name, turn] of Object.entries(turns)) {
    const r = await turn()
    times[name]!.push(r.ms / steps)
    cpuTimes[name]!.push(r.cpuMs / steps)
  }
}
torchTurn?.close()
const [first, firstCpu] = [median(times['purenet jit']!), median(cpuTimes['purenet jit']!)]
for (const [name, ts] of Object.entries(times)) {
  const [ms, cpu] = [median(ts), median(cpuTimes[name]!)]
  console.log(`${name.padEnd(14)} wall ${ms.toFixed(1).padStart(7)} ms/step  ${(1000 / ms).toFixed(2).padStart(6)} steps/s  ${(1000 / ms * BATCH * WINDOW).toFixed(0).padStart(6)} chars/s  purenet jit at ${(ms / first).toFixed(2)}x;  CPU ${cpu.toFixed(1).padStart(7)} ms/step  ${(1000 / cpu).toFixed(2).padStart(6)} steps/s  purenet jit at ${(cpu / firstCpu).toFixed(2)}x`)
}
console.log(`losses of the first ${steps} steps (nats/char):`)
for (const [name, ls] of Object.entries(lossRows)) console.log(`  ${name.padEnd(14)} ${ls.map((l) => l.toFixed(5)).join('  ')}`)
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
