package dev.strata.embedder;

/** Where ONNX Runtime runs the model. */
public enum Device {
  /** CUDA when a GPU and its libraries are there, otherwise CPU (logged once). */
  AUTO,
  /** CPU only. */
  CPU,
  /** CUDA only: an error if it cannot be used. */
  CUDA
}
