/**
 * Parameter trees: nested readonly records and arrays with tensors at the leaves, and the
 * structural and arithmetic functions over them.
 */
export * from './Tree.js'
export * from './arithmetic.js'
export * from './edit.js'
