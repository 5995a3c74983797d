/**
 * Datasets and their pure transformations (shuffling by key, lazy mini-batches, splits, one-hot
 * targets), and the decoders of data from outside: CSV text, IDX files (MNIST) and JSON. A
 * decoder never throws for bad data; it returns `Either<DataError, _>` whose message names the
 * line and column, the path or the byte offset of the problem. Nothing here imports `node:`
 * modules: reading the file is the caller's business, so all of it runs in a browser.
 */
export * from './Dataset.js'
export { type DataError, type DataErrorLocation, type DataSource, dataError, isDataError, toError } from './DataError.js'
export * from './csv.js'
export * from './idx.js'
export * from './json.js'
export * from './Scaler.js'
