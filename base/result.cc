#include "imr/base/result.h"

namespace imr {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kNotFound: return "not found";
    case Code::kUnrecognized: return "unrecognized";
    case Code::kIoError: return "i/o error";
    case Code::kFailedPrecondition: return "failed precondition";
    case Code::kConflict: return "conflict";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kPermissionDenied: return "permission denied";
    case Code::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  return message_;
}

Status Status::with_context(const std::string& context) const {
  if (ok()) return *this;
  return Status(code_, context + ": " + message_);
}

}  // namespace imr
