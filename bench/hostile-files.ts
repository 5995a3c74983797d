/**
 * Large hostile and large legitimate files (issue 10), not part of `npm test`: each file is built
 * and decoded in a fresh child process (`src/io/fixtures/hostileChild.ts`, so each peak is its
 * own), at the default limits, and the CLI trains on a generated CSV. It prints, per file, the
 * size, the decoding time, the peak resident memory decoding added, and the result.
 *
 *   npm run bench:hostile                      # everything (about 10 minutes on 2 cores)
 *   npm run bench:hostile -- --only model      # model files only
 *   npm run bench:hostile -- --only csv --csv-mb 1000
 *
 * The model files: the sizes of issue 10 that killed or stalled the process (refused now), and
 * for each shape the largest file the default limits accept. The CSV: a file of `--csv-mb`
 * megabytes (default 1000: 4 numeric columns and a label) written to the temp folder, decoded by
 * the command's streaming reader, then `purenet train` on it for one epoch, its peak RSS polled
 * from /proc.
 */
import { execFile, spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { oneOf, parseFlags, positiveInt, usage } from '../examples/cli.js'
import type { HostileReport } from '../src/io/fixtures/hostileChild.js'

const flags = {
  only: oneOf(['model', 'csv'], 'run one part (default both)'),
  'csv-mb': positiveInt('the size of the generated CSV in MB (default 1000)'),
}
const parsed = parseFlags(process.argv.slice(2), flags)
if (E.isLeft(parsed)) {
  process.stderr.write(`${parsed.left}\n${usage('npm run bench:hostile --', flags)}\n`)
  process.exit(2)
}
const only = parsed.right.only
const csvBytes = (parsed.right['csv-mb'] ?? 1000) * 1e6

const child = fileURLToPath(new URL('../src/io/fixtures/hostileChild.ts', import.meta.url))
const bin = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url))
const MiB = 2 ** 20
const mib = (n: number): string => (n / MiB).toFixed(1)

const decodeInChild = (shape: string, count: number): Promise<HostileReport | string> =>
  new Promise((done) => {
    execFile(process.execPath, ['--max-old-space-size=4096', '--expose-gc', '--import', 'tsx', child, JSON.stringify({ cases: [{ shape, count }], countNodes: count <= 20_000_000 })],
      { maxBuffer: 16 * MiB }, (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('{'))
        done(line === undefined ? `the child died (${error?.message ?? ''}): ${stderr.slice(-300)}` : (JSON.parse(line) as HostileReport))
      })
  })

const modelCases: ReadonlyArray<readonly [string, string, number]> = [
  // issue 10's cases, which killed or stalled the process before
  ['issue: optState of 120M numbers', 'optState of numbers', 120_000_000],
  ['issue: serial of 13M parameterless layers', 'serial of identity layers', 13_000_000],
  ['issue: 10M empty objects in extra', 'extra of empty objects', 10_000_000],
  ['issue: 4M zero-element tensors', 'optState of zero-element tensors', 4_000_000],
  ['issue: serial of 1M identity layers', 'serial of identity layers', 1_000_000],
  // the largest each shape may be under the default limits (2^22 values, 2^16 layers, 2^28 elements, 256 MiB)
  ['largest accepted: optState of numbers', 'optState of numbers', 2 ** 22 - 64],
  ['largest accepted: extra of empty objects', 'extra of empty objects', 2 ** 22 - 64],
  ['largest accepted: extra with many keys', 'extra with many keys', 2 ** 21 - 64],
  ['largest accepted: zero-element tensors', 'optState of zero-element tensors', Math.floor(2 ** 22 / 10) - 64],
  ['largest accepted: serial of identity layers', 'serial of identity layers', 2 ** 16 - 1],
  ['largest accepted: serial of dense(1, 1)', 'serial of dense(1, 1) layers', 2 ** 16 - 1],
  ['largest accepted: history of losses', 'history of losses', 2 ** 22 - 64],
  ['largest accepted: a 250 MB string in extra', 'a long string in extra', 250_000_000],
  ['largest accepted: dense(1000, 47000) of zeros (188 MB of float32)', 'a dense(1000, n) model of zeros', 47_000],
]

const runModels = async (): Promise<void> => {
  process.stdout.write(`model files (io.decodeModel, default limits), one child each, node ${process.version}\n\n`)
  process.stdout.write('| file | size | values | result | time | peak RSS added |\n| --- | --- | --- | --- | --- | --- |\n')
  for (const [label, shape, count] of modelCases) {
    const r = await decodeInChild(shape, count)
    if (typeof r === 'string') {
      process.stdout.write(`| ${label} | | | ${r} | | |\n`)
      continue
    }
    const result = r.result === 'right' ? 'Right' : `${r.result === 'left' ? 'Left' : 'THROW'}: ${r.message.replace(/^io\.decodeModel: /, '').slice(0, 90)}`
    process.stdout.write(`| ${label} | ${mib(r.bytes)} MiB | ${r.nodes < 0 ? '-' : r.nodes} | ${result} | ${(r.ms / 1000).toFixed(2)} s | ${r.peak < 0 ? '-' : `${mib(r.peak)} MiB`} |\n`)
  }
}

// A deterministic CSV of about `bytes` bytes: 4 numbers with 3 decimals and one of 3 labels a row.
const writeCsv = async (path: string, bytes: number): Promise<number> => {
  const out = createWriteStream(path)
  let written = 0
  let rows = 0
  let state = 12345
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state / 2 ** 32
  }
  out.write('a,b,c,d,label\n')
  while (written < bytes) {
    const lines: string[] = []
    for (let i = 0; i < 20_000; i++) {
      const a = next() * 10
      const b = next() * 10
      const label = a + b < 7 ? 'low' : a + b < 13 ? 'mid' : 'high'
      lines.push(`${a.toFixed(3)},${b.toFixed(3)},${(next() * 10).toFixed(3)},${(next() * 10).toFixed(3)},${label}`)
    }
    const text = `${lines.join('\n')}\n`
    written += text.length
    rows += lines.length
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((r) => out.end(() => r()))
  return rows
}

// Runs a command and polls its peak RSS (VmHWM) from /proc until it exits.
const measured = (args: ReadonlyArray<string>): Promise<{ readonly code: number; readonly seconds: number; readonly peak: number; readonly out: string }> =>
  new Promise((done) => {
    const started = performance.now()
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d: Buffer) => { out += d.toString() })
    p.stderr.on('data', (d: Buffer) => { out += d.toString() })
    let peak = 0
    const poll = setInterval(() => {
      try {
        const line = readFileSync(`/proc/${p.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))
        if (line !== undefined) peak = Math.max(peak, Number.parseInt(line.slice(6), 10) * 1024)
      } catch { /* exited */ }
    }, 100)
    p.on('close', (code) => {
      clearInterval(poll)
      done({ code: code ?? -1, seconds: (performance.now() - started) / 1000, peak, out })
    })
  })

const runCsv = async (): Promise<void> => {
  const folder = mkdtempSync(join(tmpdir(), 'purenet-bigcsv-'))
  try {
    const csv = join(folder, 'big.csv')
    const t0 = performance.now()
    const rows = await writeCsv(csv, csvBytes)
    process.stdout.write(`\nCSV: ${csv}, ${mib(csvBytes)} MiB, ${rows} rows of 4 numbers and a label, written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
    const spec = join(folder, 'spec.json')
    writeFileSync(spec, JSON.stringify({ kind: 'serial', layers: [{ kind: 'dense', inSize: 4, outSize: 8 }, { kind: 'relu' }, { kind: 'dense', inSize: 8, outSize: 3 }] }))
    const decode = await measured(['--import', 'tsx', fileURLToPath(new URL('./csv-child.ts', import.meta.url)), csv])
    process.stdout.write(`decode (the command's streaming reader): exit ${decode.code}, ${decode.seconds.toFixed(1)} s, peak RSS ${mib(decode.peak)} MiB (${(decode.peak / csvBytes).toFixed(2)}x the file); ${decode.out.trim()}\n`)
    const trained = await measured(['--import', 'tsx', bin, 'train', '--model', spec, '--data', csv, '--target', 'label', '--epochs', '1', '--batch', '4096', '--out', join(folder, 'model.json')])
    process.stdout.write(`purenet train --epochs 1 --batch 4096: exit ${trained.code}, ${trained.seconds.toFixed(1)} s, peak RSS ${mib(trained.peak)} MiB (${(trained.peak / csvBytes).toFixed(2)}x the file)\n${trained.out.trim().split('\n').filter((l) => !l.includes('\r')).slice(-3).join('\n')}\n`)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

if (only !== 'csv') await runModels()
if (only !== 'model') await runCsv()
