/**
 * The staging example: its programs evaluate to the eager gradient (checked inside `run`), and
 * docs/library.md shows the forward program exactly as `show` prints it.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { programStats, show } from 'purenet'
import { run } from './backprop.js'

describe('examples/backprop.ts', () => {
  it('traces the forward and backward program, and docs/library.md shows the forward one verbatim', async () => {
    const { forward, backward, svg } = await run()
    expect(programStats(forward).byPrimitive).toEqual({ matmul: 3, mul: 1, square: 1, sub: 1, sum: 1, tanh: 2 })
    expect(programStats(backward).byPrimitive['tanhBackward']).toBe(2)
    const page = readFileSync(new URL('../docs/library.md', import.meta.url), 'utf8')
    expect(page).toContain(`\`\`\`\n${show(forward)}\n\`\`\``)
    expect(svg).toContain('∂loss/∂W1')
  })
})
