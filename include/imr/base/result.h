// Status and Result<T>: how every module reports failure across its boundary.
//
// No exception crosses a public API of imr. A function that can fail returns Status (no value) or
// Result<T> (a value or a Status). The code says what kind of failure it is; the message says, in
// words a person can act on, which input failed and why (e.g. "letters/a.pdf: not a PDF file").
// Codes map to process exit codes in one place (cli/exit_codes.cc) and to HTTP codes in one place
// (server/), so a caller never invents its own mapping.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace imr {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // the caller's request is malformed (bad flag, bad field, bad JSON)
  kNotFound,           // a named thing does not exist (file, case, letter)
  kUnrecognized,       // input was read but is not what it must be (not a letter, not a PDF)
  kIoError,            // the operating system refused (permissions, disk full)
  kFailedPrecondition, // the request is well formed but illegal in the current state
  kConflict,           // a concurrent change won (retry may succeed)
  kUnauthenticated,    // no or unknown credentials
  kPermissionDenied,   // credentials known, action not allowed for the role
  kInternal,           // a bug in imr: an invariant did not hold
};

const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK: a default-constructed Status is success
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "unrecognized: a.txt: no disputed items found"
  std::string to_string() const;

  // Returns a copy whose message is prefixed with `context: ` (e.g. the file name).
  Status with_context(const std::string& context) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
inline Status not_found(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status unrecognized(std::string m) { return {Code::kUnrecognized, std::move(m)}; }
inline Status io_error(std::string m) { return {Code::kIoError, std::move(m)}; }
inline Status failed_precondition(std::string m) { return {Code::kFailedPrecondition, std::move(m)}; }
inline Status conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
inline Status internal_error(std::string m) { return {Code::kInternal, std::move(m)}; }

// A value of T or the Status that explains why there is none.
// REQUIRES: value()/operator* only when ok(); status() is OK exactly when a value is held.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}              // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}       // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace imr

// Propagates a failed Status/Result from the enclosing function.
#define IMR_RETURN_IF_ERROR(expr)            \
  do {                                       \
    auto imr_status_ = (expr);               \
    if (!imr_status_.ok()) return imr_status_; \
  } while (0)
