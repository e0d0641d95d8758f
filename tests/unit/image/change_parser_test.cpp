#include "image/change_parser.h"

#include <gtest/gtest.h>

namespace berth::image {
namespace {

ContainerConfig apply(const std::vector<std::string>& changes) {
  ContainerConfig c;
  auto st = apply_changes(c, changes);
  EXPECT_TRUE(st.ok()) << st.error().to_string();
  return c;
}

using Strings = std::vector<std::string>;

TEST(ChangeParserTest, CmdAndEntrypointForms) {
  auto c = apply({"CMD [\"/bin/sh\", \"-c\", \"echo hi\"]", "ENTRYPOINT /entry.sh --flag"});
  EXPECT_EQ(c.cmd, (Strings{"/bin/sh", "-c", "echo hi"}));
  EXPECT_EQ(c.entrypoint, (Strings{"/bin/sh", "-c", "/entry.sh --flag"}));
  auto shell = apply({"cmd echo hello world"});
  EXPECT_EQ(shell.cmd, (Strings{"/bin/sh", "-c", "echo hello world"}));
  // ENTRYPOINT resets a CMD it did not follow in the same list.
  ContainerConfig base;
  base.cmd = Strings{"old"};
  ASSERT_TRUE(apply_changes(base, {"ENTRYPOINT [\"/e\"]"}).ok());
  EXPECT_FALSE(base.cmd.has_value());
  auto empty = apply({"CMD []"});
  ASSERT_TRUE(empty.cmd.has_value());
  EXPECT_TRUE(empty.cmd->empty());
}

TEST(ChangeParserTest, EnvAndLabel) {
  auto c = apply({"ENV A=1 B=\"two words\" C=three\\ words", "ENV LEGACY some value here",
                  "ENV A=override", "LABEL version=1.0 \"com.example.name\"=\"x y\""});
  EXPECT_EQ(c.env,
            (Strings{"A=override", "B=two words", "C=three words", "LEGACY=some value here"}));
  EXPECT_EQ(c.labels->at("version"), "1.0");
  EXPECT_EQ(c.labels->at("com.example.name"), "x y");
}

TEST(ChangeParserTest, ExposeVolumeWorkdirUserStopsignalOnbuild) {
  auto c = apply({"EXPOSE 80 443/tcp 53/udp 8000-8002", "VOLUME [\"/data\", \"/logs\"]",
                  "VOLUME /cache", "WORKDIR /srv", "WORKDIR app/../web", "USER 1000:1000",
                  "STOPSIGNAL SIGINT", "ONBUILD run echo hi", "SHELL [\"/bin/bash\", \"-c\"]"});
  EXPECT_EQ(c.exposed_ports,
            (Strings{"443/tcp", "53/udp", "80/tcp", "8000/tcp", "8001/tcp", "8002/tcp"}));
  EXPECT_EQ(c.volumes, (Strings{"/cache", "/data", "/logs"}));
  EXPECT_EQ(c.working_dir, "/srv/web");
  EXPECT_EQ(c.user, "1000:1000");
  EXPECT_EQ(c.stop_signal, "SIGINT");
  EXPECT_EQ(c.on_build, (Strings{"RUN echo hi"}));
  EXPECT_EQ(c.shell, (Strings{"/bin/bash", "-c"}));
}

TEST(ChangeParserTest, Healthcheck) {
  auto c = apply(
      {"HEALTHCHECK --interval=5s --timeout=1m30s --retries=4 CMD curl -f http://localhost/"});
  ASSERT_TRUE(c.healthcheck);
  EXPECT_EQ(c.healthcheck->test, (Strings{"CMD-SHELL", "curl -f http://localhost/"}));
  EXPECT_EQ(c.healthcheck->interval_ns, 5'000'000'000);
  EXPECT_EQ(c.healthcheck->timeout_ns, 90'000'000'000);
  EXPECT_EQ(c.healthcheck->retries, 4);
  auto none = apply({"HEALTHCHECK NONE"});
  EXPECT_EQ(none.healthcheck->test, Strings{"NONE"});
  auto exec = apply({"HEALTHCHECK CMD [\"/check\", \"-q\"]"});
  EXPECT_EQ(exec.healthcheck->test, (Strings{"CMD", "/check", "-q"}));
}

TEST(ChangeParserTest, Errors) {
  ContainerConfig c;
  auto run = apply_change(c, "RUN echo nope");
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().message(), "run is not a valid change command");
  EXPECT_EQ(apply_change(c, "ENV =x").error().message(), "ENV names can not be blank");
  EXPECT_FALSE(apply_change(c, "ENV ONLYKEY").ok());
  EXPECT_FALSE(apply_change(c, "EXPOSE 70000").ok());
  EXPECT_FALSE(apply_change(c, "EXPOSE 80/icmp").ok());
  EXPECT_FALSE(apply_change(c, "ONBUILD ONBUILD RUN x").ok());
  EXPECT_FALSE(apply_change(c, "SHELL /bin/sh").ok());
  EXPECT_FALSE(apply_change(c, "LABEL \"unterminated").ok());
  EXPECT_FALSE(apply_change(c, "HEALTHCHECK --bogus=1 CMD x").ok());
}

TEST(ChangeParserTest, SplitWords) {
  EXPECT_EQ(split_words(R"(a "b c" 'd e' f\ g 'h\i')").value(),
            (Strings{"a", "b c", "d e", "f g", "h\\i"}));
}

}  // namespace
}  // namespace berth::image
