// A user's CommonJS program: require('purenet') (Node 20.19+ loads the ES module).
const { grad, item, ops, tensor } = require('purenet')
const { nn } = require('purenet/browser')

const f = (x) => ops.sum(ops.mul(x, x))
const g = grad(f)(tensor([1, 2, 3], { dtype: 'float64' }))
console.log(JSON.stringify({ grad: Array.from(g.data), sigmoid0: item(nn.sigmoid.apply({})(tensor([0]))) }))
