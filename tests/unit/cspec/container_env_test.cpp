#include "cspec/container_env.h"

#include <gtest/gtest.h>

namespace berth::cspec {
namespace {

using Env = std::vector<std::string>;

TEST(ContainerEnvTest, DefaultsFirstThenConfigEnv) {
  EXPECT_EQ(container_env("abc", false, {"FOO=bar"}),
            (Env{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                 "HOSTNAME=abc", "FOO=bar"}));
}

TEST(ContainerEnvTest, TtyAddsTermAndConfigOverridesInPlace) {
  EXPECT_EQ(container_env("h", true, {"PATH=/bin", "TERM=vt100", "HOSTNAME=mine"}),
            (Env{"PATH=/bin", "HOSTNAME=mine", "TERM=vt100"}));
}

TEST(ContainerEnvTest, NameWithoutValueRemovesADefault) {
  EXPECT_EQ(container_env("h", false, {"HOSTNAME", "A=1"}),
            (Env{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1"}));
}

TEST(ContainerEnvTest, RepeatedNewNamesStayAsDockerKeepsThem) {
  EXPECT_EQ(replace_or_append_env({"A=0"}, {"B=1", "B=2", "A=3"}), (Env{"A=3", "B=1", "B=2"}));
}

}  // namespace
}  // namespace berth::cspec
