import { describe, expect, it } from 'vitest'
import { printable, printableLines } from './printable.js'

describe('printable', () => {
  it('escapes terminal controls visibly', () => {
    expect(printable('\u001b[2J\u001b]0;x\u0007species')).toBe('\\u001b[2J\\u001b]0;x\\u0007species')
    expect(printable('a\nb\tc\rd\u007f\u009b\u202eé中')).toBe('a\\u000ab\\u0009c\\u000dd\\u007f\\u009b\\u202eé中')
    expect(printable('setosa, p(versicolor)')).toBe('setosa, p(versicolor)')
  })
  it('printableLines keeps line breaks and escapes the rest', () => {
    expect(printableLines('one\n\u001b[31mtwo\u2028')).toBe('one\n\\u001b[31mtwo\\u2028')
  })
})
