// A test helper for the in-place rewrites of latex_forms.h and set_forms.h.
#pragma once

#include <string>

namespace s1 {

// `s` after `rewrite(s)`.
template <typename Rewrite>
std::string rewritten(std::string s, Rewrite rewrite) {
  rewrite(s);
  return s;
}

}  // namespace s1
