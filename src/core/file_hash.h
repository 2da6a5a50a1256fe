// Files told apart by content at the speed of reading them: XXH64 (libxxhash, Debian's
// libxxhash-dev), e.g. two models of the same size with different weights.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace s1 {

// XXH64 (seed 0) of every byte of the file at `path`, read in large blocks. Throws
// std::runtime_error if it cannot be opened or read.
uint64_t xxh64_file(const std::string& path);

// XXH64 (seed 0) of `data`.
uint64_t xxh64_bytes(std::string_view data);

// 16 lowercase hex digits.
std::string hex64(uint64_t value);

}  // namespace s1
