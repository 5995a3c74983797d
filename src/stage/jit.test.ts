import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// the compiled package (vitest's global setup builds dist/), run by plain node
const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

describe('jit where generating code is forbidden', () => {
  it('runs the program interpreted, with the numbers of the eager function, when new Function throws (a CSP without unsafe-eval)', () => {
    const script = `
      const { jit, ops, tensor, valueAndGrad } = await import(${JSON.stringify(entry)})
      let refused = false
      try { new Function('return 1') } catch (e) { refused = e instanceof EvalError }
      const f = (w, x) => valueAndGrad((v) => ops.sum(ops.tanh(ops.add(ops.mul(v, x), 1))))(w)
      const w = tensor([0.5, -1, 2]), x = tensor([1, 2, 3])
      const [v1, g1] = jit(f)(w, x)
      const [v2, g2] = f(w, x)
      console.log(JSON.stringify({ refused, same: [...v1.data, ...g1.data].join() === [...v2.data, ...g2.data].join() }))
    `
    const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(JSON.parse(out.trim())).toEqual({ refused: true, same: true })
  })
})
