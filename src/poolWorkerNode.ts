/**
 * The entry of a Node pool worker (`parallelNode.ts` starts it): serves the pool on the
 * worker's parent port.
 */
import { parentPort } from 'node:worker_threads'
import { servePool } from './parallel/index.js'
import type { Init } from './parallel/protocol.js'

if (parentPort === null) throw new Error('poolWorkerNode: this module runs as a worker_threads worker started by parallel(); do not import it')
const port = parentPort
servePool({ postMessage: (m) => port.postMessage(m), onMessage: (listener) => void port.on('message', (m: Init) => listener(m)) })
