// The playground page served at / (src/server/playground.html, built into the binary:
// CMake turns the file into a C++ string).
#pragma once

#include <string_view>

namespace s1::server {

// The page's HTML. Thread-safe (a constant).
std::string_view playground_html();

}  // namespace s1::server
