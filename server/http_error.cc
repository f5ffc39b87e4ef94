#include "http_error.h"

#include <nlohmann/json.hpp>

namespace imr::server::internal {

int http_status(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;               // a concurrent change won: retry
    case Code::kFailedPrecondition: return 409;     // well formed but illegal in the current state
    case Code::kUnrecognized: return 422;           // read, but not what it must be
    case Code::kIoError: return 503;                // the database or disk refused: try later
    case Code::kInternal: return 500;
  }
  return 500;
}

const char* error_code_name(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid_argument";
    case Code::kNotFound: return "not_found";
    case Code::kUnrecognized: return "unrecognized";
    case Code::kIoError: return "unavailable";
    case Code::kFailedPrecondition: return "failed_precondition";
    case Code::kConflict: return "conflict";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kPermissionDenied: return "permission_denied";
    case Code::kInternal: return "internal";
  }
  return "internal";
}

std::string error_body(const Status& status, const std::string& field) {
  nlohmann::ordered_json e;
  e["code"] = error_code_name(status.code());
  e["message"] = status.message();
  e["field"] = field.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(field);
  nlohmann::ordered_json body;
  body["error"] = std::move(e);
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace imr::server::internal
