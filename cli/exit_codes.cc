#include "verbs.h"

namespace imr::cli {

int exit_code(const Status& status) {
  switch (status.code()) {
    case Code::kOk: return 0;
    case Code::kInvalidArgument: return 2;
    case Code::kNotFound:
    case Code::kUnrecognized: return 1;
    case Code::kIoError: return 3;
    case Code::kFailedPrecondition:
    case Code::kConflict:
    case Code::kUnauthenticated:
    case Code::kPermissionDenied: return 4;
    case Code::kInternal: return 5;
  }
  return 5;
}

}  // namespace imr::cli
