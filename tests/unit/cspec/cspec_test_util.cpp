#include "cspec_test_util.h"

namespace berth::cspec::test {

bool json_contains(const Json& actual, const Json& expected, std::string* where,
                   const std::string& path) {
  if (expected.is_object() && actual.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      std::string sub = path + "/" + key;
      // null expects the member to be absent (or null).
      if (value.is_null()) {
        if (actual.contains(key) && !actual[key].is_null()) {
          *where = sub + ": got " + actual[key].dump() + ", want it absent";
          return false;
        }
        continue;
      }
      if (!actual.contains(key)) {
        *where = sub + " (missing)";
        return false;
      }
      if (!json_contains(actual[key], value, where, sub)) return false;
    }
    return true;
  }
  if (actual != expected) {
    *where = path + ": got " + actual.dump() + ", want " + expected.dump();
    return false;
  }
  return true;
}

}  // namespace berth::cspec::test
