// Resolves a thinking format against a model's vocabulary: the token sequences the
// budget forcer works with.
#pragma once

#include <string>
#include <vector>

#include "core/budget_forcing.h"
#include "core/thinking_format.h"
#include "engine/model.h"

namespace s1 {

// Text-level forcing settings shared by all requests of a run.
struct ForcingSettings {
  std::string think_start;                       // "" = detect from the model
  std::string think_end;                         // "" = detect from the model
  std::vector<std::string> ignore_strings = {"Wait"};
  std::string cap_suffix = "\nFinal Answer:";
  // Steps-left marker of step-conditional control; "{n}" is the count. A model trained
  // with the s1 reference's step markers wants "<|im_start|>{n} steps left\n".
  std::string step_marker = "{n} steps left\n";
};

// The model's thinking format: the given delimiters (both or neither), else detected
// from its chat template and vocabulary. Throws std::invalid_argument / runtime_error.
ThinkingFormat resolve_thinking_format(const Model& model, const ForcingSettings& settings);

// Tokenizes the format's delimiters and the forced strings. Throws std::runtime_error
// when a delimiter does not tokenize as the format needs: a detected format's trigger
// must be one token, and the end delimiter must begin with the trigger's tokens.
// `max_steps` >= 0 also tokenizes the step markers for 0..max_steps steps left (throws
// std::invalid_argument if settings.step_marker has no "{n}").
ForcingVocab make_forcing_vocab(const Model& model, const ThinkingFormat& format,
                                const ForcingSettings& settings, int max_steps = -1);

}  // namespace s1
