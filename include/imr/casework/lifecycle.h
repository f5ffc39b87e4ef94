// The IMR case lifecycle: states, events and the state machine (data/casework/lifecycle.tsv) that
// says which event may move a case from which state to which.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/result.h"

namespace imr::casework {

enum class State {
  kReceived, kEligible, kIneligible, kAssigned, kRecordsRequested, kRecordsReceived,
  kUnderReview, kDecided, kLetterIssued, kClosed, kTerminated, kMerged,
};
inline constexpr int kStateCount = 12;
// Wire names: "received", "eligible", "ineligible", "assigned", "records_requested",
// "records_received", "under_review", "decided", "letter_issued", "closed", "terminated", "merged".
const char* to_string(State s);
std::optional<State> parse_state(std::string_view s);
// Closed, terminated, merged: nothing may follow (except close after ineligible / letter issued).
bool is_final(State s);

// Why screening found an application ineligible (DWC's published reasons plus 9792.10.3).
enum class IneligibleReason {
  kUnsigned,                      // the application is not signed
  kUntimely,                      // filed more than the window after service of the UR decision
  kNoUrDecision,                  // the UR decision is not attached
  kConditionalNonCertification,   // the UR was conditionally non-certified (information not sent)
  kDuplicate,                     // the same application was already received
  kEarlierImr,                    // an earlier IMR decided the same treatment for the worker
  kLiabilityDispute,              // a liability dispute defers IMR (the administrator did not agree to proceed)
  kOutsideScope,                  // the UR outcome is not one IMR reviews under the rules in force
};
const char* to_string(IneligibleReason r);  // "unsigned", "untimely", "no_ur_decision", ...
std::optional<IneligibleReason> parse_ineligible_reason(std::string_view s);

struct Transition {
  std::string event;
  std::vector<State> from;
  State to;
  bool unchanged = false;  // "=" in the data: the event is recorded, the state stays (expedite)
  std::string meaning;
};

// Thread-safe after construction.
class StateMachine {
 public:
  // Reads data/casework/lifecycle.tsv (or `path`); kUnrecognized names the bad line.
  static Result<StateMachine> load(const std::string& path = "");
  static const StateMachine& standard();  // loaded once; empty (refuses everything) on failure
  static const std::string& load_error();

  // The state `event` leads to from `from`. kInvalidArgument for an unknown event;
  // kFailedPrecondition naming both states when the event is not legal from `from`.
  Result<State> next(State from, std::string_view event) const;
  const std::vector<Transition>& transitions() const { return transitions_; }

 private:
  std::vector<Transition> transitions_;
};

}  // namespace imr::casework
