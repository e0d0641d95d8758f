#include "runtime/signals.h"

#include <csignal>

#include <gtest/gtest.h>

namespace berth::runtime {
namespace {

TEST(SignalsTest, NamesAndNumbers) {
  struct Case {
    const char* text;
    int sig;
  };
  const Case cases[] = {
      {"9", SIGKILL},
      {"KILL", SIGKILL},
      {"SIGKILL", SIGKILL},
      {"sigkill", SIGKILL},
      {"kill", SIGKILL},
      {"TERM", SIGTERM},
      {"15", SIGTERM},
      {"HUP", SIGHUP},
      {"SIGUSR1", SIGUSR1},
      {"USR2", SIGUSR2},
      {"WINCH", SIGWINCH},
      {"CHLD", SIGCHLD},
      {"CLD", SIGCHLD},
      {"IOT", SIGABRT},
      {"SIGSYS", SIGSYS},
      {"RTMIN", SIGRTMIN},
      {"SIGRTMIN+3", SIGRTMIN + 3},
      {"RTMAX", SIGRTMAX},
      {"SIGRTMAX-2", SIGRTMAX - 2},
      {"64", 64},
  };
  for (const auto& c : cases) {
    auto sig = parse_signal(c.text);
    ASSERT_TRUE(sig.ok()) << c.text;
    EXPECT_EQ(*sig, c.sig) << c.text;
  }
}

TEST(SignalsTest, BadSignalsAreRefusedByName) {
  for (const char* text :
       {"", "0", "-1", "65", "SIGNOPE", "RTMIN-1", "RTMAX+1", "SIGRTMIN+99", "RTMIN+x", "SIG"}) {
    auto sig = parse_signal(text);
    ASSERT_FALSE(sig.ok()) << text;
    EXPECT_NE(sig.error().to_string().find("unknown signal"), std::string::npos);
  }
}

TEST(SignalsTest, SignalName) {
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(signal_name(SIGRTMIN), "SIGRTMIN");
  EXPECT_EQ(signal_name(SIGRTMIN + 2), "SIGRTMIN+2");
  for (int sig = 1; sig <= SIGRTMAX; ++sig) {
    auto back = parse_signal(signal_name(sig));
    ASSERT_TRUE(back.ok()) << sig;
    EXPECT_EQ(*back, sig);
  }
}

}  // namespace
}  // namespace berth::runtime
