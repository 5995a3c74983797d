import { describe, expect, it } from 'vitest'
import * as nn from '../nn/index.js'
import * as ops from '../ops/index.js'
import { unary } from '../autodiff/define.js'
import * as K from '../kernels/index.js'
import { ShapeError } from '../tensor/index.js'
import { checkLayer } from './checkLayer.js'

// sin with a derivative off by a factor 2: the kind of mistake checkLayer is for
const badSin = unary({ name: 'badSin', domain: 'real', kernel: K.sin, jvp: (dx, { x }) => ops.mul(dx, ops.mul(ops.cos(x), 2)) })

describe('checkLayer', () => {
  it('passes purenet layers: dense, a network with smooth activations, a residual block', () => {
    const passes = (report: ReturnType<typeof checkLayer>): void => {
      expect(report.ok, report.message).toBe(true)
      expect(report.checked).toBeGreaterThan(0)
    }
    passes(checkLayer(nn.dense(3, 2)))
    passes(checkLayer(nn.serial(nn.dense(4, 5), nn.tanh, nn.dense(5, 3), nn.softplus, nn.dense(3, 2))))
    passes(checkLayer(nn.residual(nn.serial(nn.dense(3, 3), nn.sigmoid))))
  })

  it('finds a wrong derivative in a user-written layer and names where', () => {
    const layer = nn.serial(nn.dense(2, 3), nn.elementwise('badSin', badSin), nn.dense(3, 1))
    const report = checkLayer(layer)
    expect(report.ok).toBe(false)
    expect(report.message).toMatch(/params|x/)
  })

  it('checks an activation at a size it is told, and asks for one otherwise', () => {
    expect(checkLayer(nn.gelu, { inSize: 4 }).ok).toBe(true)
    expect(() => checkLayer(nn.gelu)).toThrow(ShapeError)
    expect(() => checkLayer(nn.gelu)).toThrow('say which with options.inSize')
  })
})
