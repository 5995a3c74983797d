import { losses, nn, ops, random, tensor, toArray } from 'purenet'

const net = nn.serial(nn.dense(4, 16), nn.relu, nn.dense(16, 3))
const params = net.init(random.key(0)) // in real use, the parameters train.fit returned
const x = tensor([[5.1, 3.5, 1.4, 0.2], [6.7, 3.1, 4.4, 1.4], [6.3, 3.3, 6.0, 2.5]])

export const probabilities = toArray(nn.predictProba(net, params, x), 2) // number[][]: each row sums to 1
export const classes = nn.predictClasses(net, params, x) // the index of each row's largest logit
export const labels = classes.map((i) => ['setosa', 'versicolor', 'virginica'][i])
export const indices = ops.argmax(nn.predict(net, params, x), 1) // the same, as a tensor [3]

// Accuracy takes class indices or one-hot rows alike.
export const accuracy = losses.accuracy(nn.predict(net, params, x), tensor([0, 1, 2]))
export const sameAccuracy = losses.accuracy(nn.predict(net, params, x), tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
