#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time and
// the most inclusive time (a sample counts once for every distinct function on its stack), so a
// profile can be read in a terminal and pasted into a note.
//
//   node scripts/cpuprofile-top.mjs PROFILE.cpuprofile [--top N]
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

const args = process.argv.slice(2)
const file = args.find((a) => a.endsWith('.cpuprofile'))
if (file === undefined) {
  console.error('usage: node scripts/cpuprofile-top.mjs PROFILE.cpuprofile [--top N]')
  process.exit(2)
}
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 25
const profile = JSON.parse(readFileSync(file, 'utf8'))

const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

const label = (n) => {
  const { functionName, url, lineNumber } = n.callFrame
  const where = url === '' ? '' : ` ${relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}`
  return `${functionName || '(anonymous)'}${where}`
}

// sample i lasted timeDeltas[i + 1] microseconds (the last one: the mean)
const samples = profile.samples
const deltas = profile.timeDeltas
const total = deltas.reduce((s, d) => s + d, 0)
const mean = total / Math.max(1, samples.length)
const self = new Map()
const inclusive = new Map()
for (let i = 0; i < samples.length; i++) {
  const dt = i + 1 < deltas.length ? deltas[i + 1] : mean
  let node = byId.get(samples[i])
  self.set(label(node), (self.get(label(node)) ?? 0) + dt)
  const seen = new Set()
  while (node !== undefined) {
    const l = label(node)
    if (!seen.has(l)) {
      seen.add(l)
      inclusive.set(l, (inclusive.get(l) ?? 0) + dt)
    }
    node = byId.get(parent.get(node.id))
  }
}

const print = (title, m) => {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)`)
  for (const [l, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(100 * t / total).toFixed(1).padStart(6)}%  ${(t / 1000).toFixed(0).padStart(6)} ms  ${l}`)
  }
}
print('self time', self)
print('inclusive time', inclusive)
