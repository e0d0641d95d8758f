#include "daemon/names.h"

#include <sys/random.h>

#include <cstdint>

#include <fmt/format.h>

namespace berth::daemon {
namespace {

constexpr const char* kAdjectives[] = {
    "admiring", "brave",    "calm",     "clever",   "dazzling", "eager",   "elegant",
    "festive",  "focused",  "gallant",  "happy",    "hopeful",  "jolly",   "keen",
    "kind",     "loving",   "lucid",    "modest",   "nifty",    "optimistic", "pensive",
    "quirky",   "relaxed",  "serene",   "sharp",    "stoic",    "tender",  "trusting",
    "upbeat",   "vibrant",  "wizardly", "zealous"};
constexpr const char* kSurnames[] = {
    "albattani", "babbage",  "bell",      "curie",    "darwin",   "einstein", "euler",
    "feynman",   "galileo",  "goldberg",  "hamilton", "hopper",   "hypatia",  "johnson",
    "kepler",    "lamarr",   "lovelace",  "meitner",  "newton",   "noether",  "pascal",
    "ritchie",   "shannon",  "thompson",  "tesla",    "turing",   "wilson",   "wozniak",
    "yalow",     "zhukovsky", "knuth",    "dijkstra"};

uint64_t random_u64() {
  uint64_t value = 0;
  while (::getrandom(&value, sizeof value, 0) != sizeof value) {
  }
  return value;
}

}  // namespace

std::string generate_id() {
  std::string id;
  for (int i = 0; i < 4; ++i) id += fmt::format("{:016x}", random_u64());
  // Docker avoids all-numeric short ids (they read like numbers); so do we.
  bool numeric = true;
  for (int i = 0; i < 12; ++i) numeric = numeric && id[i] >= '0' && id[i] <= '9';
  return numeric ? generate_id() : id;
}

std::string generate_name(const std::function<bool(const std::string&)>& in_use) {
  constexpr size_t kA = sizeof kAdjectives / sizeof *kAdjectives;
  constexpr size_t kS = sizeof kSurnames / sizeof *kSurnames;
  for (int attempt = 0;; ++attempt) {
    uint64_t r = random_u64();
    std::string name = std::string(kAdjectives[r % kA]) + "_" + kSurnames[(r / kA) % kS];
    if (attempt >= 10) name += std::to_string(r % 100);
    if (!in_use(name)) return name;
  }
}

}  // namespace berth::daemon
