/** Token shards on disk, their preparation from text and JSONL, and batch samplers over them. */
package ai.tarka.data;
