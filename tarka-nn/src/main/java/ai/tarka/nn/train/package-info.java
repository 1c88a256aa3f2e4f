/**
 * One guarded training step: gradient accumulation normalised by the total trained tokens of all
 * micro-batches, loss and gradient NaN/Inf checks that name the step, clipping and the update.
 */
package ai.tarka.nn.train;
