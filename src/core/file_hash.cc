#include "core/file_hash.h"

#include <xxhash.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

namespace s1 {

uint64_t xxh64_file(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw std::runtime_error("cannot open " + path);
  std::unique_ptr<XXH64_state_t, XXH_errorcode (*)(XXH64_state_t*)> state(XXH64_createState(),
                                                                         &XXH64_freeState);
  if (!state || XXH64_reset(state.get(), 0) != XXH_OK) throw std::runtime_error("cannot hash " + path);
  std::vector<char> block(4 << 20);
  for (;;) {
    const size_t n = std::fread(block.data(), 1, block.size(), f.get());
    if (n > 0) XXH64_update(state.get(), block.data(), n);
    if (n < block.size()) break;
  }
  if (std::ferror(f.get())) throw std::runtime_error("cannot read " + path);
  return XXH64_digest(state.get());
}

uint64_t xxh64_bytes(std::string_view data) {
  return XXH64(data.data(), data.size(), 0);
}

std::string hex64(uint64_t value) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(value));
  return out;
}

}  // namespace s1
