// The one mapping from imr::Status codes to HTTP status codes, and the error body every route
// answers with: {"error": {"code": "not_found", "message": "...", "field": "limit" | null}}.
// Internal to server/.
#pragma once

#include <string>

#include "imr/base/result.h"

namespace imr::server::internal {

int http_status(Code code);
// The error's machine-readable code: "invalid_argument", "not_found", "unauthenticated", ...
const char* error_code_name(Code code);
// The JSON body (one line). `field` names the offending request field, empty when none does.
std::string error_body(const Status& status, const std::string& field);

}  // namespace imr::server::internal
