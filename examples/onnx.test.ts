/**
 * The README's ONNX snippet (examples/onnx.ts) works as written: ONNX Runtime's probabilities are
 * the network's, and the file imports back as the same network.
 */
import { describe, expect, it } from 'vitest'
import { nn, random, tensor } from 'purenet'

describe('ONNX (the README snippet)', () => {
  it('ONNX Runtime gives the network\'s outputs for the exported bytes, and importModel reads them back', async () => {
    const m = await import('./onnx.js')
    const net = nn.serial(nn.dense(4, 16), nn.relu, nn.dense(16, 3), nn.softmax)
    const want = net.apply(net.init(random.key(0)))(tensor([[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]])).data
    expect(m.fromOnnxRuntime).toHaveLength(6)
    m.fromOnnxRuntime.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-5 * want[i]! + 1e-6))
    expect(m.imported._tag === 'Right' && m.imported.right.net.name).toBe(net.name)
  })
})
