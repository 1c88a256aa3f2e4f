/** The inference path: quantised weights used in place, a preallocated workspace, KV caches, sampling and generation. */
package ai.tarka.inference;
