/**
 * Strata's in-process embedder: ONNX Runtime (CUDA when present, CPU otherwise) with HuggingFace
 * tokenizers, the shipped all-MiniLM-L6-v2 models, the native-library cache, and the run queue
 * that lets concurrent calls share model runs.
 */
package dev.strata.embedder;
