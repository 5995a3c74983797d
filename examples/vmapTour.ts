import { type Tensor, grad, hessian, jacrev, losses, nn, ops, perExampleGrads, random, tensor, vmap } from 'purenet'

const net = nn.serial(nn.dense(4, 8), nn.tanh, nn.dense(8, 3))
type Params = ReturnType<typeof net.init>
const params = net.init(random.key(0))
const xs = random.normal(random.key(1), [32, 4]) // 32 examples
const ys = ops.softmax(random.normal(random.key(2), [32, 3])) // their target probabilities

// the loss of ONE example (the layers take rows, so the example becomes a row of 1)
const loss = (p: Params, x: Tensor, y: Tensor): Tensor =>
  losses.softmaxCrossEntropy(net.apply(p)(ops.reshape(x, [1, 4])), ops.reshape(y, [1, 3]))

// vmap maps it over axis 0 of xs and ys, sharing params (undefined): one batched computation
export const perExampleLoss = vmap(loss, { inAxes: [undefined, 0, 0] })(params, xs, ys) // [32]

// per-example gradients: each leaf gets a leading axis of 32
export const grads = vmap((p: Params, x: Tensor, y: Tensor) => grad((q: Params) => loss(q, x, y))(p), { inAxes: [undefined, 0, 0] })(params, xs, ys)
export const same = perExampleGrads(loss)(params, xs, ys) // the helper for exactly that

// batch axes anywhere (negative from the end), outputs placed by outAxes, vmap inside vmap
export const columnSums = vmap((column: Tensor) => ops.sum(column), { inAxes: -1 })(tensor([[1, 2], [3, 4]])) // [4, 6]
export const table = vmap((a: Tensor) => vmap((b: Tensor) => ops.mul(a, b))(tensor([1, 10, 100])), { outAxes: 1 })(tensor([1, 2])) // [[1, 2], [10, 20], [100, 200]]

// Jacobians and Hessians, trees in and trees out as in JAX
export const jacobian = jacrev((x: Tensor) => ops.tanh(x))(tensor([0, 1])) // [2, 2], diagonal
export const h = hessian((x: Tensor) => ops.sum(ops.pow(x, 3)))(tensor([1, 2])) // [[6, 0], [0, 12]]
