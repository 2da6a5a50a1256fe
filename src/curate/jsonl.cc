#include "curate/jsonl.h"

#include <filesystem>
#include <stdexcept>

namespace s1::curate {
namespace {

// Cuts `path` after its last newline, dropping a partial final record. Reads backwards
// from the end, so memory stays flat in the file size.
void drop_torn_tail(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0) return;
  std::ifstream in(path, std::ios::binary);
  uintmax_t end = size;
  char chunk[4096];
  while (end > 0) {
    const uintmax_t begin = end > sizeof chunk ? end - sizeof chunk : 0;
    in.seekg(static_cast<std::streamoff>(begin));
    in.read(chunk, static_cast<std::streamsize>(end - begin));
    for (uintmax_t i = end - begin; i > 0; --i) {
      if (chunk[i - 1] == '\n') {
        if (begin + i != size) std::filesystem::resize_file(path, begin + i);
        return;
      }
    }
    end = begin;
  }
  std::filesystem::resize_file(path, 0);
}

}  // namespace

JsonlReader::JsonlReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
  if (!in_) throw std::runtime_error("cannot read " + path);
}

bool JsonlReader::next(nlohmann::json& record) {
  std::string text;
  while (std::getline(in_, text)) {
    ++line_;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      record = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw std::runtime_error(path_ + ":" + std::to_string(line_) + ": not JSON (" +
                               std::string(e.what()).substr(0, 120) + ")");
    }
    if (!record.is_object()) {
      throw std::runtime_error(path_ + ":" + std::to_string(line_) + ": not a JSON object");
    }
    return true;
  }
  return false;
}

JsonlWriter::JsonlWriter(const std::string& path, bool append) : path_(path) {
  if (append) drop_torn_tail(path);
  out_.open(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  if (!out_) throw std::runtime_error("cannot write " + path);
}

void JsonlWriter::write(const nlohmann::json& record) {
  out_ << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  out_.flush();
  if (!out_) throw std::runtime_error("cannot write " + path_);
  ++written_;
}

std::unordered_set<std::string> finished_ids(const std::string& path) {
  std::unordered_set<std::string> ids;
  if (!std::filesystem::exists(path)) return ids;
  drop_torn_tail(path);
  JsonlReader reader(path);
  nlohmann::json record;
  while (reader.next(record)) ids.insert(record_id(record, path + ":" + std::to_string(reader.line())));
  return ids;
}

std::string record_id(const nlohmann::json& record, const std::string& where) {
  for (const char* name : {"id", "ID", "unique_id", "question_id"}) {
    const auto it = record.find(name);
    if (it == record.end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
  }
  throw std::runtime_error(where + ": record has no id");
}

std::string text_field(const nlohmann::json& record, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto it = record.find(name);
    if (it != record.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

}  // namespace s1::curate
