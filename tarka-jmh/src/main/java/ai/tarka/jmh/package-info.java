/** JMH micro-benchmarks of Tarka's kernels; run with {@code java -jar} per docs/BENCHMARKS.md. */
package ai.tarka.jmh;
