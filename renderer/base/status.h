// Status and Result<T>: the outcome of every fallible call in flamegrid.
//
// A Status is either OK or a code with a human-readable message that names the
// problem (the file, the attribute, the value). Result<T> holds a value or a
// non-OK Status. Both are plain values: copyable, movable, and safe to share
// between threads once built. Exceptions never cross module boundaries; code
// that calls a throwing library catches and converts here.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace flamegrid {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the input is malformed or out of range
  kNotFound,         // a named file, flame or record does not exist
  kAlreadyExists,
  kPermissionDenied,   // wrong or missing credentials
  kResourceExhausted,  // memory, disk or size bound exceeded
  kFailedPrecondition,
  kIoError,      // the operating system refused a read or write
  kCorruption,   // stored data does not decode or hash-check
  kUnavailable,  // a peer or service cannot be reached now; retry later
  kDeadlineExceeded,
  kCancelled,
  kInternal,  // a bug: an invariant did not hold
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: size 0x0 is not a valid image size", or "OK".
  std::string ToString() const;

  // Prefixes the message with context, keeping the code: "genome.flam3: " + message.
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace flamegrid

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define FG_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::flamegrid::Status fg_status_ = (expr); \
    if (!fg_status_.ok()) return fg_status_; \
  } while (0)

#define FG_CONCAT_INNER(a, b) a##b
#define FG_CONCAT(a, b) FG_CONCAT_INNER(a, b)
// `FG_ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define FG_ASSIGN_OR_RETURN(lhs, expr) \
  FG_ASSIGN_OR_RETURN_IMPL(FG_CONCAT(fg_result_, __LINE__), lhs, expr)
#define FG_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
