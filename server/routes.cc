// The route table: every API route, who may call it, and its handler. Nothing else registers a
// route. Review and casework routes are added here beside their handlers' files.
#include "call.h"

namespace imr::server::internal {

const std::vector<Route>& routes() {
  static const std::vector<Route> kRoutes = {
      // method  path                              roles        handler
      {"GET", "/api/health", kAnyone, get_health},
      {"GET", "/api/session", kAnyone, get_session},
      // Corpus: published determinations. The public sees them redacted.
      {"GET", "/api/search", kAnyone, get_search},
      {"GET", "/api/stats", kAnyone, get_stats},
      {"GET", "/api/letters/{key}", kAnyone, get_letter},
      {"GET", "/api/letters/{key}/items/{i}", kAnyone, get_letter_item},
      // The export carries reviewer credentials and source paths: staff only.
      {"GET", "/api/export", kStaff, get_export},
      // Review engine: a case file in, the review or the draft letter out.
      {"POST", "/api/review", kReviewerAdmin, post_review},
      {"POST", "/api/review/letter", kReviewerAdmin, post_review_letter},
      // Casework. Reviewers see only the cases assigned to them (casework_api.cc).
      {"GET", "/api/cases", kStaff, get_cases},
      {"POST", "/api/cases", kIntakeAdmin, post_case},
      {"GET", "/api/cases/{ref}", kStaff, get_case},
      {"GET", "/api/cases/{ref}/audit", kStaff, get_case_audit},
      {"GET", "/api/cases/{ref}/letter", kStaff, get_case_letter},
      {"POST", "/api/cases/{ref}/{event}", kStaff, post_case_event},
      {"GET", "/api/reviewers", kIntakeAdmin, get_reviewers},
      {"POST", "/api/reviewers", kAdminOnly, post_reviewer},
      // Administration.
      {"GET", "/api/tokens", kAdminOnly, get_tokens},
      {"POST", "/api/tokens", kAdminOnly, post_token},
      {"DELETE", "/api/tokens/{id}", kAdminOnly, delete_token},
      {"GET", "/api/audit", kAdminOnly, get_audit},
  };
  return kRoutes;
}

}  // namespace imr::server::internal
