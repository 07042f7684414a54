#include "worker/cache/flat_json.h"

#include <cctype>
#include <charconv>
#include <cstdio>

namespace flamegrid::worker::cache {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<FlatJsonObject> ParseObject() {
    FlatJsonObject object;
    SkipSpace();
    if (!Consume('{')) return Error("expected '{'");
    SkipSpace();
    if (Consume('}')) return Finish(std::move(object));
    while (true) {
      SkipSpace();
      auto key = ParseString();
      if (!key.ok()) return key.status();
      SkipSpace();
      if (!Consume(':')) return Error("expected ':'");
      SkipSpace();
      auto value = ParseValue();
      if (!value.ok()) return value.status();
      object[std::move(*key)] = std::move(*value);
      SkipSpace();
      if (Consume('}')) return Finish(std::move(object));
      if (!Consume(',')) return Error("expected ',' or '}'");
    }
  }

 private:
  Result<FlatJsonObject> Finish(FlatJsonObject object) {
    SkipSpace();
    if (pos_ != text_.size()) return Error("trailing characters");
    return object;
  }

  Status Error(const std::string& what) const {
    return Status::Corruption("JSON: " + what + " at offset " + std::to_string(pos_));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool ConsumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  Result<FlatJsonValue> ParseValue() {
    if (pos_ >= text_.size()) return Error("unexpected end");
    char c = text_[pos_];
    if (c == '"') {
      auto text = ParseString();
      if (!text.ok()) return text.status();
      return FlatJsonValue(std::move(*text));
    }
    if (ConsumeWord("true")) return FlatJsonValue(true);
    if (ConsumeWord("false")) return FlatJsonValue(false);
    if (ConsumeWord("null")) return FlatJsonValue();
    if (c == '{' || c == '[') return Error("nested values are not supported");
    double number = 0;
    auto [end, error] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), number);
    if (error != std::errc()) return Error("expected a value");
    pos_ = static_cast<size_t>(end - text_.data());
    return FlatJsonValue(number);
  }

  static void AppendUtf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  Result<unsigned> ParseHex4() {
    if (pos_ + 4 > text_.size()) return Error("short \\u escape");
    unsigned code = 0;
    auto [end, error] = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, code, 16);
    if (error != std::errc() || end != text_.data() + pos_ + 4) return Error("bad \\u escape");
    pos_ += 4;
    return code;
  }

  Result<std::string> ParseString() {
    if (!Consume('"')) return Error("expected a string");
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      char escape = text_[pos_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out += escape;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          auto code = ParseHex4();
          if (!code.ok()) return code.status();
          unsigned value = *code;
          if (value >= 0xD800 && value < 0xDC00 && ConsumeWord("\\u")) {
            auto low = ParseHex4();
            if (!low.ok()) return low.status();
            if (*low < 0xDC00 || *low >= 0xE000) return Error("bad surrogate pair");
            value = 0x10000 + ((value - 0xD800) << 10) + (*low - 0xDC00);
          }
          AppendUtf8(out, value);
          break;
        }
        default:
          return Error("bad escape");
      }
    }
    return Error("unterminated string");
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<FlatJsonObject> ParseFlatJson(std::string_view text) { return Parser(text).ParseObject(); }

}  // namespace flamegrid::worker::cache
