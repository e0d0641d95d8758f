#include "runtime/rlimits.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

namespace berth::runtime {
namespace {

TEST(RlimitsTest, EveryNameOfTheSpec) {
  struct Case {
    const char* name;
    int resource;
  };
  const Case cases[] = {
      {"RLIMIT_AS", RLIMIT_AS},
      {"RLIMIT_CORE", RLIMIT_CORE},
      {"RLIMIT_CPU", RLIMIT_CPU},
      {"RLIMIT_DATA", RLIMIT_DATA},
      {"RLIMIT_FSIZE", RLIMIT_FSIZE},
      {"RLIMIT_LOCKS", RLIMIT_LOCKS},
      {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
      {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
      {"RLIMIT_NICE", RLIMIT_NICE},
      {"RLIMIT_NOFILE", RLIMIT_NOFILE},
      {"RLIMIT_NPROC", RLIMIT_NPROC},
      {"RLIMIT_RSS", RLIMIT_RSS},
      {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
      {"RLIMIT_RTTIME", RLIMIT_RTTIME},
      {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLIMIT_STACK", RLIMIT_STACK},
  };
  for (const auto& c : cases) {
    auto r = rlimit_from_name(c.name);
    ASSERT_TRUE(r.ok()) << c.name;
    EXPECT_EQ(*r, c.resource) << c.name;
  }
}

TEST(RlimitsTest, UnknownNamesAreErrorsNamingTheField) {
  for (const char* name : {"", "NOFILE", "rlimit_nofile", "RLIMIT_BOGUS"}) {
    auto r = rlimit_from_name(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_NE(r.error().to_string().find("process.rlimits"), std::string::npos);
  }
}

}  // namespace
}  // namespace berth::runtime
