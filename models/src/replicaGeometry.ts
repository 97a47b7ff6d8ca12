/**
 * What the replica decoders draw (replicas.ts), shared with the tests that compute the masks to expect. No imports:
 * the browser tests load it too.
 */

/** Radius of an object point's disk and of a background point's hole, in model (1024-square) pixels. */
export const DISK = 40
export const HOLE = 16
/** How much each decoder token (0 = SAM's single answer, 1..3 = multimask) grows the shape, in model pixels. */
export const TOKEN_GROWTH = [0, -12, 12, 24]
/** Each token's predicted IoU: the best of the three multimask candidates is token 2, never token 0. */
export const TOKEN_SCORES = [0.5, 0.6, 0.9, 0.7]
/**
 * How much each padding point the client adds where the graph pads by itself shrinks the shape (model pixels): the
 * real decoder then sees an extra not-a-point token and answers differently, and so does the replica.
 */
export const EXTRA_PADDING_GROWTH = -8
