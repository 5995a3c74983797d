/**
 * Tensors: immutable typed-array values with a dtype and a shape; their constructors, read-back,
 * shapes and broadcasting rules. Nothing here knows about differentiation.
 */
export * from './Tensor.js'
export * from './dtype.js'
export * from './shape.js'
export * from './broadcast.js'
export * from './errors.js'
export * from './DecodeError.js'
export * from './rows.js'
export * from './window.js'
