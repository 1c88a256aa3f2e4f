/** Evaluation: metrics that match their reference implementations, the task harness, and reports. */
package ai.tarka.eval;
