/** Standard layers (Linear, Embedding, LayerNorm, RMSNorm, Dropout) and containers (Sequential, ModuleList). */
package ai.tarka.nn.layers;
