// A test fixture that loads the tiny test model once per suite, with its thinking
// format and forcing vocabulary: the set-up every scheduler-level test shares.
#pragma once

#include <gtest/gtest.h>

#include "engine/forcing_vocab.h"
#include "engine/model.h"
#include "engine/prompt.h"
#include "test_util.h"

namespace s1::test {

class TinyModelTest : public ::testing::Test {
 protected:
  // Loads the model (written by test::tiny_model() on first use). A suite that needs
  // more calls this first from its own SetUpTestSuite.
  static void SetUpTestSuite() {
    init_llama_backend(false);
    model_ = Model::load({tiny_model()}).release();
    format_ = new ThinkingFormat(resolve_thinking_format(*model_, {}));
    vocab_ = new ForcingVocab(make_forcing_vocab(*model_, *format_, {}));
  }
  static void TearDownTestSuite() {
    delete vocab_;
    delete format_;
    delete model_;
    vocab_ = nullptr;
    format_ = nullptr;
    model_ = nullptr;
  }

  static inline Model* model_ = nullptr;
  static inline ThinkingFormat* format_ = nullptr;
  static inline ForcingVocab* vocab_ = nullptr;
};

}  // namespace s1::test
