// pflag's parsing rules, which docker's command line is made of.
#include <gtest/gtest.h>

#include "cli/flags/flag_set.h"

namespace berth::cli {
namespace {

struct Fixture {
  FlagSet f;
  bool i = false, t = false, d = false, rm = false;
  std::string name;
  std::vector<std::string> env;
  int64_t n = -1;
  int64_t duration = 0;
  Fixture() {
    f.add_bool("interactive", "i", &i, false, "Keep STDIN open");
    f.add_bool("tty", "t", &t, false, "Allocate a pseudo-TTY");
    f.add_bool("detach", "d", &d, false, "Detach");
    f.add_bool("rm", "", &rm, false, "Remove");
    f.add_string("name", "", &name, "", "Name");
    f.add_list("env", "e", &env, "Set environment variables");
    f.add_int("last", "n", &n, -1, "Last n");
    f.add_duration("interval", "", &duration, 0, "Interval");
  }
};

TEST(FlagSet, CombinedShortsAndValues) {
  Fixture x;
  auto args = x.f.parse({"-it", "-eA=B", "-e", "C", "--env=D=E", "--name", "web", "--rm", "img"});
  ASSERT_TRUE(args.ok()) << args.error().message();
  EXPECT_TRUE(x.i);
  EXPECT_TRUE(x.t);
  EXPECT_TRUE(x.rm);
  EXPECT_EQ(x.name, "web");
  EXPECT_EQ(x.env, (std::vector<std::string>{"A=B", "C", "D=E"}));
  EXPECT_EQ(*args, std::vector<std::string>{"img"});
}

TEST(FlagSet, BoolValuesAndEquals) {
  Fixture x;
  ASSERT_TRUE(x.f.parse({"--rm=false", "-d=true", "-e=X=1", "-n=5"}).ok());
  EXPECT_FALSE(x.rm);
  EXPECT_TRUE(x.d);
  EXPECT_EQ(x.env, std::vector<std::string>{"X=1"});
  EXPECT_EQ(x.n, 5);
  EXPECT_TRUE(x.f.changed("rm"));
  EXPECT_FALSE(x.f.changed("tty"));
}

TEST(FlagSet, InterspersedOrNot) {
  Fixture a;
  auto args = a.f.parse({"img", "-d", "cmd"});
  EXPECT_EQ(*args, (std::vector<std::string>{"img", "cmd"}));
  EXPECT_TRUE(a.d);
  Fixture b;
  b.f.set_interspersed(false);
  args = b.f.parse({"-t", "img", "ls", "-la", "--rm"});
  EXPECT_EQ(*args, (std::vector<std::string>{"img", "ls", "-la", "--rm"}));
  EXPECT_FALSE(b.rm);
}

TEST(FlagSet, DoubleDashAndDash) {
  Fixture x;
  auto args = x.f.parse({"-", "--", "--rm", "-t"});
  EXPECT_EQ(*args, (std::vector<std::string>{"-", "--rm", "-t"}));
  EXPECT_FALSE(x.rm);
}

TEST(FlagSet, NegativeNumberAsValue) {
  Fixture x;
  ASSERT_TRUE(x.f.parse({"-n", "-1"}).ok());
  EXPECT_EQ(x.n, -1);
  ASSERT_TRUE(x.f.parse({"--last", "0x10"}).ok());
  EXPECT_EQ(x.n, 16);
}

TEST(FlagSet, Errors) {
  auto msg = [](std::vector<std::string> args) {
    Fixture x;
    auto r = x.f.parse(args);
    return r.ok() ? std::string("ok") : r.error().message();
  };
  EXPECT_EQ(msg({"--bogus"}), "unknown flag: --bogus");
  EXPECT_EQ(msg({"-x"}), "unknown shorthand flag: 'x' in -x");
  EXPECT_EQ(msg({"-itx"}), "unknown shorthand flag: 'x' in -x");
  EXPECT_EQ(msg({"--name"}), "flag needs an argument: --name");
  EXPECT_EQ(msg({"-e"}), "flag needs an argument: 'e' in -e");
  EXPECT_EQ(msg({"-n", "abc"}),
            "invalid argument \"abc\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"abc\": "
            "invalid syntax");
  EXPECT_EQ(msg({"--rm=maybe"}),
            "invalid argument \"maybe\" for \"--rm\" flag: strconv.ParseBool: parsing \"maybe\": "
            "invalid syntax");
  EXPECT_EQ(msg({"--interval", "5"}),
            "invalid argument \"5\" for \"--interval\" flag: time: missing unit in duration \"5\"");
  EXPECT_EQ(msg({"--interval", "5x"}),
            "invalid argument \"5x\" for \"--interval\" flag: time: unknown unit \"x\" in duration "
            "\"5x\"");
  EXPECT_EQ(msg({"---x"}), "bad flag syntax: ---x");
}

TEST(FlagSet, HelpWithoutAHelpFlag) {
  Fixture x;
  ASSERT_TRUE(x.f.parse({"--help"}).ok());
  EXPECT_TRUE(x.f.help_requested());
  Fixture y;
  ASSERT_TRUE(y.f.parse({"-h"}).ok());
  EXPECT_TRUE(y.f.help_requested());
}

TEST(GoDuration, ParseAndFormat) {
  EXPECT_EQ(*parse_go_duration("1h30m"), 5400LL * 1000000000);
  EXPECT_EQ(*parse_go_duration("1.5s"), 1500000000);
  EXPECT_EQ(*parse_go_duration("100ms"), 100000000);
  EXPECT_EQ(*parse_go_duration("-2m"), -120LL * 1000000000);
  EXPECT_EQ(*parse_go_duration("0"), 0);
  EXPECT_EQ(format_go_duration(0), "0s");
  EXPECT_EQ(format_go_duration(5400LL * 1000000000), "1h30m0s");
  EXPECT_EQ(format_go_duration(1500000000), "1.5s");
  EXPECT_EQ(format_go_duration(100000000), "100ms");
  EXPECT_EQ(format_go_duration(1500), "1.5\xc2\xb5s");
}

TEST(FlagSet, UsagesWrapLikePflag) {
  FlagSet f;
  bool b = false;
  std::string s;
  int64_t n = 0;
  f.add_bool("all", "a", &b, false, "Show all containers (default shows just running)");
  f.add_string("format", "", &s, "", "Format output using a custom template");
  f.add_int("last", "n", &n, -1, "Show n last created containers (includes all states)");
  EXPECT_EQ(f.usages(79),
            "  -a, --all             Show all containers (default shows just running)\n"
            "      --format string   Format output using a custom template\n"
            "  -n, --last int        Show n last created containers (includes all\n"
            "                        states) (default -1)\n");
}

}  // namespace
}  // namespace berth::cli
