// The record's JSON form (../shared/docs/record.md): one object per letter, keys in the documented
// order, absent values as null (or [] for lists).
#pragma once

#include <string>
#include <string_view>

#include "imr/base/result.h"
#include "imr/letter/record.h"

namespace imr::letter {

// One line of JSON (no trailing newline). Never fails: strings are made valid UTF-8 first.
std::string to_json_line(const Letter& letter);
// Pretty-printed JSON, two-space indent.
std::string to_json_pretty(const Letter& letter);

// Reads a record back. Unknown fields are ignored (fields may be added); a wrong type or an
// unknown enum value fails with kInvalidArgument naming the field (e.g. "items[2].decision").
Result<Letter> letter_from_json(std::string_view json);

}  // namespace imr::letter
