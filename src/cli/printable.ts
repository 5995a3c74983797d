/**
 * Text from a file (a model's target and class labels, a CSV's column names, an error quoting a
 * cell) reaches a terminal only escaped: a control character would otherwise act on the terminal
 * (`"\u001b[2J"` clears the screen, `"\u001b]0;...\u0007"` retitles the window, a bidirectional
 * override reorders what the reader sees). Each is printed as its `\uXXXX` escape, visibly.
 */

// C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidirectional
// marks, embeddings, overrides and isolates.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

/** `s` with every control character escaped (`\u001b`), line breaks too: for a name inside a line. */
export const printable = (s: string): string => s.replace(CONTROLS, escape)

/** `s` with every control character but the line break escaped: for a whole message of several lines. */
export const printableLines = (s: string): string => s.replace(CONTROLS_BUT_NEWLINE, escape)
