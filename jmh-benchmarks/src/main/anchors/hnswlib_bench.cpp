// The hnswlib anchor of the ANN harness (AnnHarness): builds an HNSW index over base.fvecs with
// inner product (on HNSW_BUILD_THREADS threads, default one, as Python's add_items does), then for each ef measures recall@10 against truth.ivecs and
// single-thread queries per second. Prints one JSON object per line. Built by bin/bench with
// g++ -O3 -march=native against Debian's libhnswlib-dev headers.
//
// usage: hnswlib_bench BASE.fvecs QUERIES.fvecs TRUTH.ivecs M EF_CONSTRUCTION ROUNDS EF...
//        hnswlib_bench BASE.fvecs QUERIES.fvecs TRUTH.ivecs M EF_CONSTRUCTION
// The second form builds, prints the build line, then reads "EF ROUNDS [THREADS]" lines from stdin and
// answers each with one measurement line, until stdin closes: the harness interleaves these
// with its own rounds, so both libraries are measured in the same minutes of a noisy machine.
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <sys/resource.h>
#include <vector>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

template <typename T>
static std::vector<std::vector<T>> read_vecs(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot open ") + path);
  std::vector<std::vector<T>> rows;
  int dim;
  while (in.read(reinterpret_cast<char*>(&dim), 4)) {
    std::vector<T> row(dim);
    if (!in.read(reinterpret_cast<char*>(row.data()), 4L * dim)) throw std::runtime_error("truncated file");
    rows.push_back(std::move(row));
  }
  return rows;
}

struct Searcher {
  hnswlib::HierarchicalNSW<float>& index;
  const std::vector<std::vector<float>>& queries;
  const std::vector<std::vector<int>>& truth;

  size_t search(size_t q) {
    auto result = index.searchKnn(queries[q].data(), 10);
    std::set<int> expected(truth[q].begin(), truth[q].begin() + std::min<size_t>(10, truth[q].size()));
    size_t found = 0;
    while (!result.empty()) {
      found += expected.count(static_cast<int>(result.top().second));
      result.pop();
    }
    return found;
  }

  // Measures one effort: a warm-up pass, then ROUNDS timed passes, the queries shared by THREADS
  // threads (searchKnn is thread-safe); prints one JSON line.
  void measure(int ef, int rounds, int threads = 1) {
    index.setEf(ef);
    std::vector<double> qps;
    double recall = 0;
    for (int r = 0; r <= rounds; r++) {  // round 0 warms up
      std::atomic<size_t> found{0};
      auto t0 = std::chrono::steady_clock::now();
      if (threads <= 1) {
        for (size_t q = 0; q < queries.size(); q++) found += search(q);
      } else {
        std::atomic<size_t> next{0};
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; t++) {
          workers.emplace_back([&] {
            size_t mine = 0;
            for (size_t q; (q = next.fetch_add(1)) < queries.size();) mine += search(q);
            found += mine;
          });
        }
        for (auto& w : workers) w.join();
      }
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (r > 0) qps.push_back(queries.size() / seconds);
      recall = static_cast<double>(found.load()) / (10.0 * queries.size());
    }
    std::sort(qps.begin(), qps.end());
    std::printf("{\"ef\": %d, \"recall\": %.5f, \"qps\": %.1f, \"qpsMin\": %.1f, \"qpsMax\": %.1f}\n", ef, recall,
                qps[qps.size() / 2], qps.front(), qps.back());
    std::fflush(stdout);
  }
};

int main(int argc, char** argv) {
  if (argc != 6 && argc < 8) {
    std::fprintf(stderr, "usage: %s BASE QUERIES TRUTH M EF_CONSTRUCTION [ROUNDS EF...]\n", argv[0]);
    return 2;
  }
  auto base = read_vecs<float>(argv[1]);
  auto queries = read_vecs<float>(argv[2]);
  auto truth = read_vecs<int>(argv[3]);
  int m = std::atoi(argv[4]), ef_construction = std::atoi(argv[5]);
  size_t dim = base[0].size();

  hnswlib::InnerProductSpace space(dim);
  auto start = std::chrono::steady_clock::now();
  hnswlib::HierarchicalNSW<float> index(&space, base.size(), m, ef_construction, 100);
  const char* threads_env = std::getenv("HNSW_BUILD_THREADS");
  int threads = threads_env ? std::max(1, std::atoi(threads_env)) : 1;
  if (threads == 1) {
    for (size_t i = 0; i < base.size(); i++) index.addPoint(base[i].data(), i);
  } else {
    std::atomic<size_t> next{0};  // addPoint is thread-safe: hnswlib's own ParallelFor does this
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; t++) {
      workers.emplace_back([&] {
        for (size_t i; (i = next.fetch_add(1)) < base.size();) index.addPoint(base[i].data(), i);
      });
    }
    for (auto& w : workers) w.join();
  }
  double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // What the index takes: level 0 (vectors and links) for every slot, plus the upper levels' links.
  size_t index_bytes = index.max_elements_ * index.size_data_per_element_;
  for (size_t i = 0; i < index.cur_element_count; i++) index_bytes += index.element_levels_[i] * index.size_links_per_element_;
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);  // peak resident set so far: the index and this program's copy of the input
  std::printf("{\"buildSeconds\": %.3f, \"threads\": %d, \"indexBytes\": %zu, \"rssBytes\": %ld}\n", build, threads,
              index_bytes, usage.ru_maxrss * 1024L);
  std::fflush(stdout);

  Searcher searcher{index, queries, truth};
  if (argc == 6) {
    char line[128];
    while (std::fgets(line, sizeof line, stdin)) {  // "EF ROUNDS [THREADS]"
      int ef, rounds, threads = 1;
      if (std::sscanf(line, "%d %d %d", &ef, &rounds, &threads) >= 2) searcher.measure(ef, rounds, threads);
    }
    return 0;
  }
  int rounds = std::atoi(argv[6]);
  for (int a = 7; a < argc; a++) searcher.measure(std::atoi(argv[a]), rounds);
  return 0;
}
