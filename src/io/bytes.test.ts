import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64Length, dataFromBase64, dataToBase64, fromBase64Into, toBase64 } from './bytes.js'

const bytesOf = (d: Float32Array | Float64Array): number[] => Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))

describe('base64 of little-endian bytes', () => {
  it('agrees with Node’s Buffer (an independent oracle) and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = toBase64(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64'))
        expect(text.length).toBe(base64Length(bytes.length))
        const back = new Uint8Array(bytes.length)
        expect(fromBase64Into(text, back)).toBeUndefined()
        expect(Array.from(back)).toEqual(Array.from(bytes))
      }),
    )
  })

  it('1. round trips float32 and float64 data bit for bit, -0, subnormals and extremes included', () => {
    const f64 = Float64Array.of(-0, 5e-324, -Number.MAX_VALUE, Math.PI, 1 / 3)
    const f32 = Float32Array.of(-0, 1e-45, 3.4028234663852886e38, Math.PI)
    expect(bytesOf(dataFromBase64('float64', 5, dataToBase64(f64)) as Float64Array)).toEqual(bytesOf(f64))
    expect(bytesOf(dataFromBase64('float32', 4, dataToBase64(f32)) as Float32Array)).toEqual(bytesOf(f32))
    // little-endian on disk: 1.0f is 00 00 80 3f
    expect(dataToBase64(Float32Array.of(1))).toBe(Buffer.from([0, 0, 0x80, 0x3f]).toString('base64'))
    fc.assert(
      fc.property(fc.float64Array({ maxLength: 20 }), (d) => {
        expect(bytesOf(dataFromBase64('float64', d.length, dataToBase64(d)) as Float64Array)).toEqual(bytesOf(d))
      }),
    )
  })

  it('refuses a wrong length, foreign characters and misplaced padding, before or without allocating', () => {
    expect(dataFromBase64('float32', 1e12, 'AAAA')).toMatch(/^4 base64 characters, expected .* for 1000000000000 float32 elements/)
    expect(fromBase64Into('AA=A', new Uint8Array(1))).toBe('character 3 is "A", expected the padding "="')
    expect(fromBase64Into('A-AA', new Uint8Array(3))).toContain('character 1 is "-", which is not base64')
    expect(fromBase64Into('AA==AAAA', new Uint8Array(6))).toContain('character 2 is "=", which is not base64')
    expect(fromBase64Into('AAA', new Uint8Array(2))).toContain('3 base64 characters, expected 4 for 2 bytes')
  })
})
