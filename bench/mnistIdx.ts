/**
 * `purenet train` on IDX files, end to end (issue 14): the bundled MNIST digits
 * (examples/mnistData.ts: 8,000 for training, 2,000 for testing) written as IDX files in the
 * MNIST download format (unsigned-byte pixels, round(255·p)), then the command's `train`, `eval`
 * and `predict` on them with examples/lenet-spec.json (conv 5x5 to 8 channels, batchNorm, relu,
 * pool; conv 5x5 to 16, batchNorm, relu, pool; dense 400-10). Prints what the command prints, the
 * wall and CPU time of each command and the test accuracy.
 *
 *   npx tsx bench/mnistIdx.ts [--epochs 3] [--batch 64] [--lr 0.003]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { PassThrough } from 'node:stream'
import { loadMnist } from '../examples/mnistData.js'
import { main } from '../src/cli/main.js'

const { values } = parseArgs({ options: { epochs: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' } } })
const spec = fileURLToPath(new URL('../examples/lenet-spec.json', import.meta.url))

/** An IDX file of unsigned bytes of `shape`. */
const idx = (shape: ReadonlyArray<number>, body: Uint8Array): Uint8Array => {
  const header = new Uint8Array(4 + 4 * shape.length)
  header[2] = 0x08
  header[3] = shape.length
  shape.forEach((d, i) => new DataView(header.buffer).setInt32(4 + 4 * i, d))
  const out = new Uint8Array(header.length + body.length)
  out.set(header)
  out.set(body, header.length)
  return out
}

const dir = mkdtempSync(join(tmpdir(), 'purenet-mnist-idx-'))
try {
  const { train, test } = loadMnist()
  for (const [name, set] of [['train', train], ['t10k', test]] as const) {
    const n = set.x.shape[0]!
    const pixels = Uint8Array.from(set.x.data, (p) => Math.round(p * 255))
    const labels = new Uint8Array(n)
    for (let i = 0; i < n; i++) for (let c = 0; c < 10; c++) if (set.y.data[i * 10 + c] === 1) labels[i] = c
    writeFileSync(join(dir, `${name}-images-idx3-ubyte`), idx([n, 28, 28], pixels))
    writeFileSync(join(dir, `${name}-labels-idx1-ubyte`), idx([n], labels))
  }
  process.chdir(dir)
  const run = async (...args: string[]): Promise<string> => {
    let out = ''
    const wall = performance.now()
    const cpu = process.cpuUsage()
    const code = await main(args, { out: (l) => { out += `${l}\n`; console.log(l) }, err: (l) => console.error(l), stdout: new PassThrough(), tty: false })
    const used = process.cpuUsage(cpu)
    console.log(`# purenet ${args[0]}: exit ${code}, ${((performance.now() - wall) / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU`)
    if (code !== 0) throw new Error(`purenet ${args.join(' ')} failed`)
    return out
  }
  await run('train', '--model', spec, '--images', 'train-images-idx3-ubyte', '--labels', 'train-labels-idx1-ubyte',
    '--epochs', values.epochs ?? '3', '--batch', values.batch ?? '64', '--lr', values.lr ?? '0.003', '--out', 'lenet.json')
  const evaluated = await run('eval', '--model', 'lenet.json', '--images', 't10k-images-idx3-ubyte', '--labels', 't10k-labels-idx1-ubyte')
  await run('predict', '--model', 'lenet.json', '--images', 't10k-images-idx3-ubyte', '--out', 'digits.csv')
  console.log(`test accuracy ${/accuracy\s+(\S+)/.exec(evaluated)?.[1]}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
