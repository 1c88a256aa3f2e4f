/** Serving: the OpenAI-compatible HTTP API, the continuous-batching scheduler, the paged KV cache and metrics. */
package ai.tarka.serve;
