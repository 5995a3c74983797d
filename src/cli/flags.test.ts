import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { bool, natural, parseFlags, positive, positiveInt, text } from './flags.js'

const flags = {
  epochs: positiveInt('passes'),
  seed: natural('seed'),
  lr: positive('rate'),
  out: text('file', '<f>'),
  resume: bool('resume'),
} as const

const parse = (...argv: string[]) => parseFlags(argv, flags)
const message = (...argv: string[]): string => {
  const r = parse(...argv)
  if (E.isRight(r)) throw new Error(`expected ${argv.join(' ')} to be refused`)
  return r.left
}

describe('parseFlags', () => {
  it('refuses a repeated flag, naming it, whatever the spelling', () => {
    expect(message('--epochs', '3', '--epochs', '4')).toBe('--epochs is given more than once; give each flag once')
    expect(message('--out=a', '--out', 'b')).toBe('--out is given more than once; give each flag once')
    expect(message('--resume', '--resume')).toBe('--resume is given more than once; give each flag once')
  })

  it('reads integers in decimal digits only', () => {
    for (const bad of ['0x3', '1e2', ' 3', '3 ', '3abc', '+3', '3.0', '', '0b11', '0o7', 'Infinity', '9007199254740993']) {
      expect(message('--epochs', bad), bad).toBe(`--epochs: expected a positive integer in decimal digits, got ${JSON.stringify(bad)}`)
    }
    expect(message('--epochs', '0')).toContain('--epochs: expected a positive integer')
    expect(message('--seed', '-1')).toContain('--seed')
    expect(message('--seed=-1')).toBe('--seed: expected a non-negative integer in decimal digits, got "-1"')
    const ok = parse('--epochs', '12', '--seed', '0', '--lr', '0.5')
    expect(E.isRight(ok) && ok.right.values).toEqual({ epochs: 12, seed: 0, lr: 0.5 })
    expect(E.isRight(parse('--epochs', '007')) && (parse('--epochs', '007') as E.Right<{ values: { epochs: number } }>).right.values.epochs).toBe(7)
  })

  it('reads decimal numbers, with an exponent, and nothing else', () => {
    for (const good of [['1e-3', 1e-3], ['.5', 0.5], ['2.', 2], ['3E2', 300], ['0.01', 0.01]] as const) {
      const r = parse('--lr', good[0])
      expect(E.isRight(r) && r.right.values.lr, good[0]).toBe(good[1])
    }
    for (const bad of ['0x1', ' 1', '1 ', '1e', 'e3', '1,5', 'NaN', 'Infinity', '1e999', '-1', '0', '']) {
      expect(message(`--lr=${bad}`), bad).toBe(`--lr: expected a positive decimal number (such as 0.01 or 1e-3), got ${JSON.stringify(bad)}`)
    }
  })
})
