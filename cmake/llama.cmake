# Finds llama.cpp, in this order:
#   1. -DS1_LLAMA_DIR=<llama.cpp source tree>: built here as a subproject, with your
#      own flags (e.g. -DGGML_CUDA=ON), and its common library.
#   2. an installed llama CMake package (CMAKE_PREFIX_PATH / llama_DIR). s1.cpp's own
#      scripts/setup.sh installs one into a per-version cache and links it at .deps/llama;
#      that install also carries llama.cpp's common library and its headers.
# Sets S1_HAVE_LLAMA_COMMON (Jinja chat templates, -hf downloads), S1_LLAMA_VENDOR (below),
# S1_DEFAULT_VOCAB
# (ggml-vocab-qwen2.gguf, used by `s1 make-test-model`) and S1_LLAMA_TEMPLATES (llama.cpp's
# models/templates, real models' chat templates for the tests; "" when not at hand).
set(S1_LLAMA_DIR "" CACHE PATH "llama.cpp source tree to build as a subproject")
set(S1_HAVE_LLAMA_COMMON OFF)
set(S1_DEFAULT_VOCAB "")
set(S1_LLAMA_TEMPLATES "")
set(S1_LLAMA_SERVER "")
# llama.cpp's common library compiles in the cpp-httplib and nlohmann-json it vendors and
# exports their symbols. A process may hold only one definition of each class, so with the
# common library s1.cpp builds on those same copies: S1_LLAMA_VENDOR is the folder holding
# nlohmann/json.hpp and cpp-httplib/httplib.h, S1_HTTPLIB_DEFINITIONS the definitions
# cpp-httplib was compiled with (they change its classes), and the symbols come from the
# common library. "" without it (then Debian's packages are used, and nothing is twice).
set(S1_LLAMA_VENDOR "")
set(S1_HTTPLIB_DEFINITIONS "")

if(S1_LLAMA_DIR)
  if(NOT EXISTS "${S1_LLAMA_DIR}/include/llama.h")
    message(FATAL_ERROR "S1_LLAMA_DIR=${S1_LLAMA_DIR} is not a llama.cpp source tree")
  endif()
  set(LLAMA_BUILD_COMMON ON CACHE BOOL "" FORCE)
  set(LLAMA_BUILD_TESTS OFF CACHE BOOL "" FORCE)
  set(LLAMA_BUILD_EXAMPLES OFF CACHE BOOL "" FORCE)
  set(LLAMA_BUILD_TOOLS OFF CACHE BOOL "" FORCE)
  set(LLAMA_BUILD_SERVER OFF CACHE BOOL "" FORCE)
  set(LLAMA_BUILD_APP OFF CACHE BOOL "" FORCE)
  add_subdirectory(${S1_LLAMA_DIR} ${CMAKE_BINARY_DIR}/llama.cpp EXCLUDE_FROM_ALL)
  add_library(s1::llama-common ALIAS llama-common)
  set(S1_HAVE_LLAMA_COMMON ON)
  set(S1_LLAMA_VENDOR "${S1_LLAMA_DIR}/vendor")
  get_target_property(S1_HTTPLIB_DEFINITIONS cpp-httplib COMPILE_DEFINITIONS)
  set(S1_DEFAULT_VOCAB "${S1_LLAMA_DIR}/models/ggml-vocab-qwen2.gguf")
  set(S1_LLAMA_TEMPLATES "${S1_LLAMA_DIR}/models/templates")
else()
  list(APPEND CMAKE_PREFIX_PATH "${CMAKE_SOURCE_DIR}/.deps/llama")
  find_package(llama CONFIG)
  if(NOT llama_FOUND)
    message(FATAL_ERROR "llama.cpp not found: run scripts/setup.sh, or pass -DS1_LLAMA_DIR=<llama.cpp source> "
                        "or -DCMAKE_PREFIX_PATH=<llama.cpp install prefix>")
  endif()
  get_filename_component(_s1_llama_prefix "${llama_DIR}/../../.." ABSOLUTE)
  find_library(S1_LLAMA_COMMON_LIB NAMES llama-common PATHS "${_s1_llama_prefix}/lib" NO_DEFAULT_PATH)
  if(S1_LLAMA_COMMON_LIB AND EXISTS "${_s1_llama_prefix}/include/llama-common/common.h")
    add_library(s1::llama-common UNKNOWN IMPORTED)
    set_target_properties(s1::llama-common PROPERTIES
      IMPORTED_LOCATION "${S1_LLAMA_COMMON_LIB}"
      INTERFACE_INCLUDE_DIRECTORIES "${_s1_llama_prefix}/include/llama-common"
      INTERFACE_LINK_LIBRARIES llama)
    set(S1_HAVE_LLAMA_COMMON ON)
    # scripts/setup.sh copies the vendored headers and cpp-httplib's definitions there.
    set(_s1_vendor "${_s1_llama_prefix}/include/llama-vendor")
    if(NOT EXISTS "${_s1_vendor}/cpp-httplib/definitions.txt")
      message(FATAL_ERROR "${_s1_vendor} is missing: run scripts/setup.sh again")
    endif()
    set(S1_LLAMA_VENDOR "${_s1_vendor}")
    file(STRINGS "${_s1_vendor}/cpp-httplib/definitions.txt" S1_HTTPLIB_DEFINITIONS)
  endif()
  if(EXISTS "${_s1_llama_prefix}/share/s1.cpp/ggml-vocab-qwen2.gguf")
    set(S1_DEFAULT_VOCAB "${_s1_llama_prefix}/share/s1.cpp/ggml-vocab-qwen2.gguf")
  endif()
  # scripts/setup.sh builds llama-server into the install (the remote backend's tests).
  if(EXISTS "${_s1_llama_prefix}/bin/llama-server")
    set(S1_LLAMA_SERVER "${_s1_llama_prefix}/bin/llama-server")
  endif()
  # scripts/setup.sh keeps the source it built beside the install.
  if(EXISTS "${CMAKE_SOURCE_DIR}/.deps/llama.cpp/models/templates")
    set(S1_LLAMA_TEMPLATES "${CMAKE_SOURCE_DIR}/.deps/llama.cpp/models/templates")
  endif()
endif()
message(STATUS "s1.cpp: llama.cpp common library: ${S1_HAVE_LLAMA_COMMON}; vendored libraries: ${S1_LLAMA_VENDOR}; test vocab: ${S1_DEFAULT_VOCAB}")
