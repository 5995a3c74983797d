/**
 * Hostile model files, grown up to the limits (issue 10). fast-check draws, for every hostile
 * shape of src/io/fixtures/hostileFiles.ts (arrays of a million numbers, empty objects, keys,
 * zero-element tensors, layers, nesting, long strings and keys, wide layers), counts from 1 to
 * past the limit that shape meets first, plus the counts at the limit and just past it. A child
 * process capped at `--max-old-space-size=512` decodes each file (`hostileChild.ts`), so an abort
 * would be a dead child, not a dead test runner.
 *
 * Laws:
 * 1. total: never a throw, never an abort: every file is a `Right` or a `Left` with a message.
 * 2. budgets: a file past a limit is a `Left` naming the limit.
 * 3. bounds (the README's "Limits and bounds"): the peak memory decoding adds is at most
 *    4 × the file size + 128 bytes × the file's JSON values + 64 MiB, and the time is linear,
 *    checked here 10 times looser than measured (bench/README.md) because this machine is shared.
 *
 * The limits here are small (maxNodes 2^18, maxLayers 2^12, maxElements 2^20) to keep the suite
 * near 30 seconds; `npm run bench:hostile` runs the same shapes at the default limits and at the
 * sizes of the issue.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { HostileReport } from '../src/io/fixtures/hostileChild.js'
import { hostileShapes } from '../src/io/fixtures/hostileFiles.js'
import { maxJsonDepth, maxKeyLength } from '../src/io/jsonText.js'

const child = fileURLToPath(new URL('../src/io/fixtures/hostileChild.ts', import.meta.url))
const limits = { maxNodes: 2 ** 18, maxLayers: 2 ** 12, maxElements: 2 ** 20, maxBytes: 64 * 2 ** 20 }

// The count past which each shape meets a limit (the node counts per unit are those of the shape's text).
const limitOf: Readonly<Record<string, number>> = {
  'optState of numbers': limits.maxNodes,
  'extra of empty objects': limits.maxNodes,
  'extra of empty arrays': limits.maxNodes,
  'extra with many keys': limits.maxNodes / 2,
  'optState of zero-element tensors': Math.floor(limits.maxNodes / 10),
  'serial of identity layers': limits.maxLayers - 1, // the serial itself is a layer too
  'serial of dense(1, 1) layers': limits.maxLayers - 1,
  'history of losses': limits.maxNodes,
  'nested arrays in extra': maxJsonDepth - 2, // inside the document and extra
  'a long string in extra': 8 * 2 ** 20,
  'a long key in extra': maxKeyLength,
  'a wide dense layer': Math.floor(limits.maxElements / 5), // dense(4, n) declares 5n parameters
  'a dense(1000, n) model of zeros': Math.floor(limits.maxElements / 1001),
}

const MiB = 2 ** 20

const runChild = (cases: ReadonlyArray<{ readonly shape: string; readonly count: number }>): Promise<{ readonly code: number; readonly reports: HostileReport[]; readonly stderr: string }> =>
  new Promise((done) => {
    execFile(
      process.execPath,
      ['--max-old-space-size=512', '--expose-gc', '--import', 'tsx', child, JSON.stringify({ limits, cases })],
      { maxBuffer: 64 * MiB, timeout: 240_000 },
      (error, stdout, stderr) => {
        const reports = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as HostileReport)
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, reports, stderr })
      },
    )
  })

describe('hostile model files under a 512 MiB heap', () => {
  it('laws 1-3: grown up to and past every limit, each file is a Right or a Left, within the memory and time bounds', async () => {
    expect(Object.keys(limitOf).sort()).toEqual(hostileShapes.map((s) => s.name).sort())
    const drawn = fc.sample(fc.record({ shape: fc.constantFrom(...hostileShapes.map((s) => s.name)), fraction: fc.double({ min: 0, max: 1.05, noNaN: true }) }), { numRuns: 24, seed: 10 })
    const cases = [
      ...drawn.map(({ shape, fraction }) => ({ shape, count: Math.max(1, Math.round(fraction * limitOf[shape]!)) })),
      ...hostileShapes.flatMap((s) => [{ shape: s.name, count: limitOf[s.name]! - 64 }, { shape: s.name, count: limitOf[s.name]! + 1 }]),
    ].filter((c) => c.count >= 1)
      // small files first, so that the peak of each is not hidden by pages a larger one left committed
      .sort((a, b) => a.count / limitOf[a.shape]! - b.count / limitOf[b.shape]!)
    const { code, reports, stderr } = await runChild(cases)
    expect(code, stderr.slice(-2000)).toBe(0)
    expect(reports).toHaveLength(cases.length)
    for (const r of reports) {
      const what = `${r.shape} x ${r.count} (${r.bytes} bytes, ${r.nodes} values): ${r.result} ${r.message.slice(0, 200)}`
      // law 1
      expect(r.result, what).not.toBe('throw')
      if (r.result === 'left') expect(r.message, what).toMatch(/^io\.decodeModel: .{10,}/)
      // law 2: past the limit, a Left naming it
      if (r.count > limitOf[r.shape]! && r.shape !== 'a long string in extra') {
        expect(r.result, what).toBe('left')
        expect(r.message, what).toMatch(/options\.maxNodes|options\.maxLayers|options\.maxElements|nested more than|an object key of|maxParameters/)
      }
      // law 3
      if (r.peak >= 0) expect(r.peak, what).toBeLessThanOrEqual(4 * r.bytes + 128 * Math.max(0, r.nodes) + 64 * MiB)
      expect(r.ms, what).toBeLessThanOrEqual(5000 + 0.02 * Math.max(0, r.nodes) + 0.0002 * r.bytes)
    }
    // the long string is the one shape with no limit of its own but the bytes: it decodes
    expect(reports.filter((r) => r.shape === 'a long string in extra' && r.count >= 8 * MiB - 64).every((r) => r.result === 'right')).toBe(true)
  }, 300_000)
})
