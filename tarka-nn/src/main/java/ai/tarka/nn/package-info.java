/**
 * Modules, parameters and the flat parameter buffer.
 *
 * <p>A model is a tree of {@link ai.tarka.nn.Module}s that register {@link ai.tarka.nn.Parameter}s,
 * buffers and children by local name; full names are dotted paths as in Hugging Face checkpoints
 * ({@code blocks.0.attn.q_proj.weight}), and state dicts use them as keys.
 *
 * <p>Training memory layout: build the model normally, then {@link ai.tarka.nn.ParameterBuffer#flatten}
 * it. Values move into one {@code float[]}, gradients live in a second one with the same layout,
 * and each parameter tensor becomes a view of the first whose gradient is the matching view of the
 * second, so backward accumulates straight into the flat gradient array. Optimiser moments are
 * flat arrays too, packed over the trainable parameters only ({@link ai.tarka.nn.TrainableRuns}),
 * and every optimiser step, norm and gradient rescale is one vectorised pass over contiguous runs.
 */
package ai.tarka.nn;
