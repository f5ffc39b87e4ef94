#include "stats_chunk.h"

#include <cstring>

namespace imr::corpus::internal {
namespace {

constexpr char kMagic[4] = {'i', 'm', 'r', 'S'};
constexpr std::size_t kChecksumBytes = 8;

void put_varint(std::uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Reads varints from a byte range; any fault (past the end, over 64 bits) makes ok() false and
// every later read 0, so a caller checks once after a run of reads.
class Reader {
 public:
  explicit Reader(std::string_view bytes)
      : p_(reinterpret_cast<const unsigned char*>(bytes.data())), end_(p_ + bytes.size()) {}

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && ok_; shift += 7) {
      if (p_ == end_) break;
      std::uint8_t b = *p_++;
      if (shift == 63 && b > 1) break;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok_ = false;
    return 0;
  }
  // A count or id that must be at most `max`.
  std::uint32_t at_most(std::uint64_t max) {
    std::uint64_t v = varint();
    if (v > max) ok_ = false;
    return ok_ ? static_cast<std::uint32_t>(v) : 0;
  }
  std::string_view bytes(std::uint64_t n) {
    if (!ok_ || n > left()) {
      ok_ = false;
      return {};
    }
    std::string_view s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }
  bool ok() const { return ok_; }

 private:
  const unsigned char* p_;
  const unsigned char* end_;
  bool ok_ = true;
};

Status corrupt(const std::string& why) { return unrecognized("statistics index chunk: " + why); }

}  // namespace

std::uint64_t stats_chunk_checksum(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string encode_stats_chunk(const StatsChunk& c) {
  std::string out(kMagic, sizeof kMagic);
  out.push_back(static_cast<char>(kStatsChunkFormat));
  put_varint(static_cast<std::uint64_t>(c.after_letter_id), out);
  put_varint(static_cast<std::uint64_t>(c.through_letter_id), out);
  for (std::size_t n : {c.date.size(), c.category.size(), c.specialties.size(), c.subspecialties.size(),
                        c.guidelines.size(), c.names.size()})
    put_varint(n, out);
  for (const auto& name : c.names) {
    put_varint(name.size(), out);
    out += name;
  }
  for (std::size_t l = 0; l < c.date.size(); ++l) {
    put_varint(c.date[l] == kNoName ? 0 : std::uint64_t{c.date[l]} + 1, out);
    put_varint(c.item_count[l], out);
    put_varint(c.specialty_count[l], out);
    put_varint(c.subspecialty_count[l], out);
  }
  for (auto id : c.specialties) put_varint(id, out);
  for (auto id : c.subspecialties) put_varint(id, out);
  for (std::size_t i = 0; i < c.category.size(); ++i) {
    put_varint(c.category[i], out);
    put_varint(c.subcategory[i], out);
    put_varint(c.region[i], out);
    put_varint(std::uint64_t{c.guideline_count[i]} * 2 + (c.overturned[i] ? 1 : 0), out);
  }
  for (auto id : c.guidelines) put_varint(id, out);
  std::uint64_t sum = stats_chunk_checksum(out);
  for (std::size_t k = 0; k < kChecksumBytes; ++k) out.push_back(static_cast<char>((sum >> (8 * k)) & 0xff));
  return out;
}

Result<StatsChunk> decode_stats_chunk(std::string_view bytes) {
  StatsChunk c;
  IMR_RETURN_IF_ERROR(decode_stats_chunk(bytes, c));
  return c;
}

Status decode_stats_chunk(std::string_view bytes, StatsChunk& c) {
  c.names.clear();
  for (auto* v : {&c.date, &c.item_count, &c.specialty_count, &c.subspecialty_count, &c.specialties, &c.subspecialties,
                  &c.category, &c.subcategory, &c.region, &c.guideline_count, &c.guidelines})
    v->clear();
  c.overturned.clear();
  if (bytes.size() < sizeof kMagic + 1 + kChecksumBytes) return corrupt("truncated");
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return corrupt("not a chunk");
  if (static_cast<unsigned char>(bytes[sizeof kMagic]) != kStatsChunkFormat)
    return corrupt("format " + std::to_string(static_cast<unsigned char>(bytes[sizeof kMagic])) + " is not " +
                   std::to_string(kStatsChunkFormat));
  std::string_view body = bytes.substr(0, bytes.size() - kChecksumBytes);
  std::uint64_t want = 0;
  for (std::size_t k = 0; k < kChecksumBytes; ++k)
    want |= std::uint64_t{static_cast<unsigned char>(bytes[body.size() + k])} << (8 * k);
  if (stats_chunk_checksum(body) != want) return corrupt("checksum mismatch");

  Reader in(body.substr(sizeof kMagic + 1));
  constexpr auto kMaxId = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t after = in.varint(), through = in.varint();
  if (!in.ok() || after > kMaxId || through > kMaxId || through <= after) return corrupt("bad letter ids");
  c.after_letter_id = static_cast<std::int64_t>(after);
  c.through_letter_id = static_cast<std::int64_t>(through);
  // Every entry takes at least one byte, so no count can exceed what is left: this bounds every
  // allocation below by the input's size.
  std::uint64_t left = in.left();
  std::uint32_t letters = in.at_most(std::min<std::uint64_t>(left, through - after));
  std::uint32_t items = in.at_most(left), specialties = in.at_most(left), subspecialties = in.at_most(left),
                guidelines = in.at_most(left), names = in.at_most(left);
  if (!in.ok() || letters == 0) return corrupt("bad counts");

  c.names.reserve(names);
  for (std::uint32_t k = 0; k < names && in.ok(); ++k) c.names.emplace_back(in.bytes(in.varint()));
  if (!in.ok()) return corrupt("truncated names");

  // Per letter; the counts must add up to the totals.
  std::uint64_t item_sum = 0, specialty_sum = 0, subspecialty_sum = 0;
  for (auto* v : {&c.date, &c.item_count, &c.specialty_count, &c.subspecialty_count}) v->reserve(letters);
  for (std::uint32_t l = 0; l < letters && in.ok(); ++l) {
    std::uint32_t date = in.at_most(names);
    c.date.push_back(date == 0 ? kNoName : date - 1);
    c.item_count.push_back(in.at_most(items - item_sum));
    item_sum += c.item_count.back();
    c.specialty_count.push_back(in.at_most(specialties - specialty_sum));
    specialty_sum += c.specialty_count.back();
    c.subspecialty_count.push_back(in.at_most(subspecialties - subspecialty_sum));
    subspecialty_sum += c.subspecialty_count.back();
  }
  if (!in.ok() || item_sum != items || specialty_sum != specialties || subspecialty_sum != subspecialties)
    return corrupt("letter counts do not add up");

  auto ids = [&](std::vector<std::uint32_t>& v, std::uint32_t n) {
    v.reserve(n);
    for (std::uint32_t k = 0; k < n && in.ok(); ++k) v.push_back(in.at_most(names - std::uint64_t{1}));
  };
  if (names == 0 && (specialties || subspecialties || items)) return corrupt("name ids without names");
  ids(c.specialties, specialties);
  ids(c.subspecialties, subspecialties);

  std::uint64_t guideline_sum = 0;
  for (auto* v : {&c.category, &c.subcategory, &c.region, &c.guideline_count}) v->reserve(items);
  c.overturned.reserve(items);
  for (std::uint32_t i = 0; i < items && in.ok(); ++i) {
    c.category.push_back(in.at_most(names - std::uint64_t{1}));
    c.subcategory.push_back(in.at_most(names - std::uint64_t{1}));
    c.region.push_back(in.at_most(names - std::uint64_t{1}));
    std::uint64_t g = in.varint();
    std::uint64_t count = g / 2;
    if (count > guidelines - guideline_sum) break;  // in.ok() is checked with the sum below
    c.guideline_count.push_back(static_cast<std::uint32_t>(count));
    c.overturned.push_back(static_cast<std::uint8_t>(g & 1));
    guideline_sum += count;
  }
  if (!in.ok() || c.guideline_count.size() != items || guideline_sum != guidelines)
    return corrupt("item counts do not add up");
  if (guidelines > 0 && names == 0) return corrupt("name ids without names");
  ids(c.guidelines, guidelines);
  if (!in.ok()) return corrupt("truncated name ids");
  if (in.left() != 0) return corrupt("trailing bytes");
  return {};
}

}  // namespace imr::corpus::internal
