/**
 * Optimisers over a flat {@link ai.tarka.nn.ParameterBuffer} ({@link ai.tarka.nn.optim.AdamW},
 * {@link ai.tarka.nn.optim.SGD}) with parameter groups and exactly restorable state, learning-rate
 * schedules counted from step 1, and global-norm gradient clipping that names the first parameter
 * holding a NaN or infinity.
 */
package ai.tarka.nn.optim;
