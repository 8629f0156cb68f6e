package dev.strata.embedder.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.strata.core.StrataException;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.Device;
import dev.strata.embedder.EmbedderOptions;
import dev.strata.embedder.OnnxEmbedder;
import org.junit.jupiter.api.Test;

/** The one-line swap to ONNX Runtime's GPU build: CUDA is offered, used where it works, explained where not. */
class GpuBuildTest {

  @Test
  void theGpuBuildReplacesTheCpuBuildOnTheClasspath() throws Exception {
    assertThat(OrtEnvironment.getAvailableProviders()).contains(OrtProvider.CUDA);
    assertThat(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().getPath()).contains("onnxruntime_gpu");
  }

  @Test
  void autoEmbedsOnCudaOrFallsBackToCpuAndForcedCudaSaysWhatIsMissing() {
    try (OnnxEmbedder auto = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load())) {
      assertThat(auto.embed("a GPU if there is one")).hasSize(384);
      if (auto.device() == Device.CPU) { // no usable GPU here (CI): forcing CUDA must say why
        assertThatThrownBy(() -> OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load(), EmbedderOptions.builder().device(Device.CUDA).build()))
            .isInstanceOf(StrataException.class)
            .hasMessageContaining("CUDA was asked for but cannot be used");
      }
    }
  }
}
