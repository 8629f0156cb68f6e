/**
 * Sentence embedding with ONNX Runtime and the default all-MiniLM-L6-v2 model.
 *
 * <p>Not built yet: the embedder issue fills this module (ONNX Runtime on CUDA or CPU, DJL's
 * HuggingFace tokenizers, model fingerprints). The module exists now so the build's layout and
 * dependency direction (vector-core, then embedder, then index-admin) are fixed from the start.
 */
package dev.strata.embedder;
