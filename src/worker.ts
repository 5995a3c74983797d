/**
 * `purenet/worker`: training in a Web Worker. The worker's module calls `serve(self)`; the page
 * posts `Request`s to it and decodes what comes back with `decodeReply`. The messages and their
 * io-ts codecs are in `workerProtocol.ts`, the session that answers them in `workerSession.ts`.
 * Like `purenet/browser`, nothing reachable from here imports a `node:` module.
 */
export * from './workerProtocol.js'
export { type Endpoint, type ServeOptions, serve } from './workerSession.js'
