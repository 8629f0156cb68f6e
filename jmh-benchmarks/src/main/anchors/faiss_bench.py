"""The FAISS anchor of the ANN harness (AnnHarness): IndexHNSWFlat with inner product, one
thread, recall@10 and single-thread queries per second for each efSearch. One JSON object a line.

usage: python3 faiss_bench.py BASE.fvecs QUERIES.fvecs TRUTH.ivecs M EF_CONSTRUCTION ROUNDS EF...
"""
import json
import sys
import time

import faiss
import numpy as np


def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.int32)
    dim = raw[0]
    return raw.reshape(-1, dim + 1)[:, 1:].copy().view(dtype)


def main(argv):
    base = read_vecs(argv[1], np.float32)
    queries = read_vecs(argv[2], np.float32)
    truth = read_vecs(argv[3], np.int32)
    m, ef_construction, rounds = int(argv[4]), int(argv[5]), int(argv[6])
    faiss.omp_set_num_threads(1)
    index = faiss.IndexHNSWFlat(base.shape[1], m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = ef_construction
    start = time.perf_counter()
    index.add(base)
    print(json.dumps({"buildSeconds": round(time.perf_counter() - start, 3)}), flush=True)
    for ef in (int(a) for a in argv[7:]):
        index.hnsw.efSearch = ef
        qps, recall = [], 0.0
        for r in range(rounds + 1):  # round 0 warms up
            t0 = time.perf_counter()
            found = 0
            for q in range(len(queries)):  # one query a call, as the other libraries are measured
                _, ids = index.search(queries[q:q + 1], 10)
                found += len(set(ids[0].tolist()) & set(truth[q][:10].tolist()))
            seconds = time.perf_counter() - t0
            if r > 0:
                qps.append(len(queries) / seconds)
            recall = found / (10.0 * len(queries))
        qps.sort()
        print(json.dumps({"ef": ef, "recall": round(recall, 5), "qps": round(qps[len(qps) // 2], 1),
                          "qpsMin": round(qps[0], 1), "qpsMax": round(qps[-1], 1)}), flush=True)


if __name__ == "__main__":
    main(sys.argv)
