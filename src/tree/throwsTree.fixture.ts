/** A test helper for tree errors, shared by the tree and the tree-arithmetic tests. */
import { expect } from 'vitest'
import { TreeError } from './Tree.js'

/** Asserts that `f` throws a TreeError with this op and path, whose message contains the fragments. */
export const throwsTree = (f: () => unknown, op: string, path: string, ...fragments: string[]): void => {
  let caught: unknown
  try {
    f()
  } catch (e) {
    caught = e
  }
  expect(caught).toBeInstanceOf(TreeError)
  const err = caught as TreeError
  expect(err.op).toBe(op)
  expect(err.path).toBe(path)
  expect(err.message).toContain(`${op}: at ${path === '' ? 'the root' : path}: `)
  for (const fragment of fragments) expect(err.message).toContain(fragment)
}
