// Applications and reviewers for the casework tests (invented, never real people).
#pragma once

#include "imr/casework/application.h"
#include "imr/casework/reviewer.h"

namespace imr::casework::testing {

// A signed, timely, standard application received `received` (ISO) by worker `worker`: a lumbar
// MRI and Norco, physician an orthopaedic surgeon, insurer "Acme Insurance".
inline Application sample_application(const std::string& worker = "Jane Roe", const std::string& received = "2024-03-20T09:00:00") {
  Application a;
  a.received = received;
  a.ur_decision_date = received.substr(0, 8) + "01";
  a.ur_served_by = NoticeMethod::kElectronic;
  a.claim_number = "CLM-" + worker;
  a.date_of_injury = "2023-05-01";
  a.physician_specialty = "Orthopaedic Surgery";
  a.parties = {{PartyKind::kWorker, worker},
               {PartyKind::kAttorney, "Sam Lawyer"},
               {PartyKind::kEmployer, "Big Warehouse Inc"},
               {PartyKind::kInsurer, "Acme Insurance"},
               {PartyKind::kClaimsAdministrator, "Acme TPA"},
               {PartyKind::kPhysician, "Dr. Treat"},
               {PartyKind::kProviderGroup, "Ortho Group"},
               {PartyKind::kFacility, "City Hospital"}};
  a.items = {{"MRI of the lumbar spine", "Diagnostic tests", "Imaging", "lumbar"},
             {"Norco 10/325mg #60", "Pharmaceuticals", "Opioids", "lumbar"}};
  return a;
}

// A qualified orthopaedic reviewer with no ties.
inline ReviewerRegistration sample_reviewer(const std::string& name = "Dr. Alice Example", int capacity = 10) {
  ReviewerRegistration reg;
  reg.name = name;
  reg.reviewer.credentials.licence_states = {"California"};
  reg.reviewer.credentials.board_certifications = {"Orthopaedic Surgery"};
  reg.reviewer.credentials.specialties = {"Orthopedic Surgery"};
  reg.reviewer.credentials.years_active_practice = 12;
  reg.reviewer.credentials.weekly_practice_hours = 30;
  reg.reviewer.capacity = capacity;
  return reg;
}

}  // namespace imr::casework::testing
