/** GGUF: the llama.cpp model file format (metadata, tensor infos, aligned tensor data). */
package ai.tarka.formats.gguf;
