#include "template/unicode.h"

#include "template/utf8.h"

namespace berth::tmpl {
namespace {

struct Range {
  char32_t lo;
  char32_t hi;
};

template <size_t N>
bool in_ranges(char32_t r, const Range (&ranges)[N]) {
  for (const Range& range : ranges) {
    if (r >= range.lo && r <= range.hi) return true;
  }
  return false;
}

// Non-ASCII blocks that hold no letters: controls, Latin-1 punctuation, general punctuation,
// symbols, arrows, box drawing, CJK punctuation, and the specials.
constexpr Range kNonLetters[] = {
    {0x80, 0xA9},     {0xAB, 0xB4},     {0xB6, 0xB9},     {0xBB, 0xBF},     {0xD7, 0xD7},
    {0xF7, 0xF7},     {0x2000, 0x206F}, {0x2070, 0x209F}, {0x20A0, 0x20FF}, {0x2100, 0x2101},
    {0x2190, 0x2BFF}, {0x3000, 0x3004}, {0x3008, 0x3020}, {0xFE10, 0xFE1F}, {0xFE30, 0xFE6F},
    {0xFF01, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF},
};

// Decimal digit blocks (Nd) other than ASCII: Arabic-Indic, Devanagari, fullwidth.
constexpr Range kDigits[] = {
    {0x0660, 0x0669},
    {0x06F0, 0x06F9},
    {0x0966, 0x096F},
    {0xFF10, 0xFF19},
};

// Zero-width runes for the terminal: combining marks, zero-width spaces and joiners, variation
// selectors.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0xE0100, 0xE01EF},
};

// East Asian Wide (W) and Fullwidth (F) ranges, emoji included, as go-runewidth treats them.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F004, 0x1F004},
    {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF},
    {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF},
    {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

// A lower/upper pair at a fixed distance over a range; `alternating` ranges pair each even
// code point (upper) with the odd one after it (lower).
struct CaseRange {
  char32_t lo;
  char32_t hi;
  int delta;  // lower = upper + delta; 1 for alternating ranges
  bool alternating;
};

// Upper-case ranges with their lower-case partners.
constexpr CaseRange kCaseRanges[] = {
    {0x41, 0x5A, 32, false},   {0xC0, 0xD6, 32, false},   {0xD8, 0xDE, 32, false},
    {0x100, 0x12F, 1, true},   {0x132, 0x137, 1, true},   {0x14A, 0x177, 1, true},
    {0x391, 0x3A1, 32, false}, {0x3A3, 0x3AB, 32, false}, {0x410, 0x42F, 32, false},
    {0x400, 0x40F, 80, false}, {0x460, 0x481, 1, true},   {0x48A, 0x4BF, 1, true},
    {0x1E00, 0x1E95, 1, true}, {0x1EA0, 0x1EFF, 1, true}, {0xFF21, 0xFF3A, 32, false},
};

// Latin Extended-A's U+0139..U+0148 and U+0179..U+017E pair an odd upper case letter with the
// even lower case one after it.
bool odd_upper(char32_t r) {
  return (r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17E);
}

}  // namespace

bool is_letter(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (is_digit(r) || is_space(r) || !valid_rune(r)) return false;
  return !in_ranges(r, kNonLetters);
}

bool is_digit(char32_t r) {
  if (r < 0x80) return r >= '0' && r <= '9';
  return in_ranges(r, kDigits);
}

bool is_space(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000: return true;
    default: return r >= 0x2000 && r <= 0x200A;
  }
}

bool is_print(char32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  if (!valid_rune(r)) return false;
  if (r < 0xA0 || r == 0xAD) return false;  // C1 controls, soft hyphen
  if (is_space(r)) return false;            // only ASCII space counts as printable
  if ((r >= 0x200B && r <= 0x200F) || (r >= 0x202A && r <= 0x202E) ||
      (r >= 0x2060 && r <= 0x206F) || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB)) {
    return false;  // format characters
  }
  if ((r >= 0xE000 && r <= 0xF8FF) || r >= 0xF0000) return false;  // private use
  return (r & 0xFFFE) != 0xFFFE;                                   // noncharacters
}

int rune_width(char32_t r) {
  if (r == 0) return 0;
  if (r < 0x20 || (r >= 0x7F && r < 0xA0)) return 0;
  if (r < 0x300) return 1;
  if (in_ranges(r, kZeroWidth)) return 0;
  if (in_ranges(r, kWide)) return 2;
  return 1;
}

size_t display_width(std::string_view s) {
  size_t width = 0;
  while (!s.empty()) {
    DecodedRune d = decode_rune(s);
    width += static_cast<size_t>(rune_width(d.rune));
    s.remove_prefix(d.size);
  }
  return width;
}

char32_t to_upper(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') ? r - 32 : r;
  if (r == 0xFF) return 0x178;
  if (r == 0xB5) return 0x39C;
  if (r == 0x3C2) return 0x3A3;  // final sigma
  if (odd_upper(r) && r % 2 == 0) return r - 1;
  for (const CaseRange& c : kCaseRanges) {
    if (c.alternating) {
      if (r >= c.lo && r <= c.hi && (r - c.lo) % 2 == 1) return r - 1;
    } else if (r >= c.lo + c.delta && r <= c.hi + c.delta) {
      return r - c.delta;
    }
  }
  return r;
}

char32_t to_lower(char32_t r) {
  if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + 32 : r;
  if (r == 0x178) return 0xFF;
  if (odd_upper(r) && r % 2 == 1) return r + 1;
  for (const CaseRange& c : kCaseRanges) {
    if (c.alternating) {
      if (r >= c.lo && r <= c.hi && (r - c.lo) % 2 == 0) return r + 1;
    } else if (r >= c.lo && r <= c.hi) {
      return r + c.delta;
    }
  }
  return r;
}

namespace {

template <typename Map>
std::string map_runes(std::string_view s, Map map) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    DecodedRune d = decode_rune(s);
    append_rune(out, map(d.rune));  // an invalid byte becomes U+FFFD, as strings.Map does
    s.remove_prefix(d.size);
  }
  return out;
}

}  // namespace

std::string string_to_upper(std::string_view s) {
  return map_runes(s, to_upper);
}
std::string string_to_lower(std::string_view s) {
  return map_runes(s, to_lower);
}

}  // namespace berth::tmpl
