/** Fused, vectorised optimiser updates and gradient reductions over runs of flat float arrays. */
package ai.tarka.kernels.optim;
