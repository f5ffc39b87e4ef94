#include "imr/casework/lifecycle.h"


#include "imr/base/data.h"
#include "imr/base/text.h"
#include "tsv.h"

namespace imr::casework {
namespace {

const char* const kStateNames[kStateCount] = {
    "received",     "eligible", "ineligible",    "assigned", "records_requested", "records_received",
    "under_review", "decided",  "letter_issued", "closed",   "terminated",        "merged"};
const char* const kReasonNames[] = {"unsigned",   "untimely",     "no_ur_decision",    "conditional_non_certification",
                                    "duplicate",  "earlier_imr",  "liability_dispute", "outside_scope"};

}  // namespace

const char* to_string(State s) { return kStateNames[static_cast<int>(s)]; }

std::optional<State> parse_state(std::string_view s) {
  std::string w = text::to_lower(text::trim(s));
  for (int k = 0; k < kStateCount; ++k)
    if (w == kStateNames[k]) return static_cast<State>(k);
  return std::nullopt;
}

bool is_final(State s) { return s == State::kClosed || s == State::kTerminated || s == State::kMerged; }

const char* to_string(IneligibleReason r) { return kReasonNames[static_cast<int>(r)]; }

std::optional<IneligibleReason> parse_ineligible_reason(std::string_view s) {
  std::string w = text::to_lower(text::trim(s));
  for (std::size_t k = 0; k < std::size(kReasonNames); ++k)
    if (w == kReasonNames[k]) return static_cast<IneligibleReason>(k);
  return std::nullopt;
}

Result<StateMachine> StateMachine::load(const std::string& path) {
  StateMachine m;
  IMR_RETURN_IF_ERROR(internal::read_tsv(
      path.empty() ? data_path("casework/lifecycle.tsv") : path, [&](const std::vector<std::string>& f, int) -> Status {
        if (f.size() != 4) return unrecognized("expected event, from-states, to-state, meaning");
        Transition t;
        t.event = f[0];
        for (const auto& name : text::split_list(f[1], '|')) {
          auto s = parse_state(name);
          if (!s) return unrecognized("unknown state '" + name + "'");
          t.from.push_back(*s);
        }
        auto to = parse_state(f[2]);
        if ((!to && f[2] != "=") || t.from.empty())
          return unrecognized("unknown or missing state in '" + f[1] + "' -> '" + f[2] + "'");
        t.unchanged = !to;
        t.to = to.value_or(State::kReceived);
        t.meaning = f[3];
        for (const auto& other : m.transitions_)
          if (other.event == t.event)
            for (State a : other.from)
              for (State b : t.from)
                if (a == b) return unrecognized("event '" + t.event + "' listed twice from '" + to_string(a) + "'");
        m.transitions_.push_back(std::move(t));
        return {};
      }));
  return m;
}

const StateMachine& StateMachine::standard() { return internal::load_once<StateMachine>().first; }
const std::string& StateMachine::load_error() { return internal::load_once<StateMachine>().second; }

Result<State> StateMachine::next(State from, std::string_view event) const {
  std::string allowed;
  const Transition* named = nullptr;
  for (const auto& t : transitions_) {
    if (t.event != event) continue;
    named = &t;
    for (State s : t.from) {
      if (s == from) return t.unchanged ? from : t.to;
      allowed += (allowed.empty() ? "" : ", ") + std::string(to_string(s));
    }
  }
  if (!named) {
    if (transitions_.empty()) return internal_error("no lifecycle rules loaded: " + load_error());
    return invalid_argument("unknown lifecycle event '" + std::string(event) + "'");
  }
  return failed_precondition("illegal transition " + std::string(event) + ": from '" + to_string(from) + "' to '" +
                             (named->unchanged ? to_string(from) : to_string(named->to)) +
                             "' is not allowed (allowed only from: " + allowed + ")");
}

}  // namespace imr::casework
