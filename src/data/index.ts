/**
 * Datasets and their pure transformations: shuffling by key, lazy mini-batches, splits and
 * one-hot targets.
 */
export * from './Dataset.js'
