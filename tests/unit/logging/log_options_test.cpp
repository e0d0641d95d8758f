#include "logging/log_options.h"

#include <gtest/gtest.h>

#include "logging/log_reader.h"
#include "logging/log_writer.h"
#include "logging_test_util.h"

namespace berth::logging {
namespace {

std::string validate_error(std::string_view driver, const LogOptions& options) {
  Status s = validate_log_options(driver, options);
  return s.ok() ? "" : s.error().message();
}

std::string config_error(LogDriver driver, const LogOptions& options) {
  auto r = parse_log_file_config(driver, options);
  if (r.ok()) return "";
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  return r.error().message();
}

TEST(LogOptionsTest, UnknownDriversAndOptionsUseDockersWording) {
  EXPECT_EQ(validate_error("syslogd", {}), "logger: no log driver named 'syslogd' is registered");
  EXPECT_EQ(validate_error("json-file", {{"foo", "1"}}),
            "unknown log opt 'foo' for json-file log driver");
  EXPECT_EQ(validate_error("local", {{"foo", "1"}}), "unknown log opt 'foo' for log driver local");
  EXPECT_EQ(validate_error("none", {{"foo", "1"}}), "");  // Docker lets none take anything
  EXPECT_EQ(validate_error("json-file", {{"max-size", "10m"},
                                         {"max-file", "3"},
                                         {"compress", "true"},
                                         {"labels", "a"},
                                         {"labels-regex", "^x"},
                                         {"env", "A"},
                                         {"env-regex", "^B"},
                                         {"tag", "{{.Name}}"},
                                         {"mode", "blocking"}}),
            "");
  EXPECT_EQ(validate_error("json-file", {{"mode", "fast"}}),
            "logger: logging mode not supported: fast");
  EXPECT_EQ(validate_error("json-file", {{"max-buffer-size", "1m"}}),
            "logger: max-buffer-size option is only supported with 'mode=non-blocking'");
  EXPECT_EQ(validate_error("json-file", {{"mode", "non-blocking"}, {"max-buffer-size", "4m"}}), "");
}

TEST(LogOptionsTest, ParsesSizesAsGoUnitsFromHumanSize) {
  EXPECT_EQ(*parse_human_size("100"), 100);
  EXPECT_EQ(*parse_human_size("10k"), 10'000);
  EXPECT_EQ(*parse_human_size("10K"), 10'000);
  EXPECT_EQ(*parse_human_size("1.5m"), 1'500'000);
  EXPECT_EQ(*parse_human_size("2g"), 2'000'000'000);
  EXPECT_EQ(*parse_human_size("3kb"), 3'000);
  EXPECT_EQ(*parse_human_size("3KiB"), 3'000);
  EXPECT_EQ(*parse_human_size("7 m"), 7'000'000);
  EXPECT_EQ(*parse_human_size("12b"), 12);
  EXPECT_EQ(parse_human_size("abc").error().message(), "invalid size: 'abc'");
  EXPECT_EQ(parse_human_size("10x").error().message(), "invalid suffix: 'x'");
  EXPECT_EQ(parse_human_size("10kx").error().message(), "invalid suffix: 'kx'");
  EXPECT_EQ(parse_human_size("1-2k").error().message(),
            "strconv.ParseFloat: parsing \"1-2\": invalid syntax");
}

TEST(LogOptionsTest, JsonFileDefaultsAndChecks) {
  auto cfg = parse_log_file_config(LogDriver::kJsonFile, {});
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->max_size, -1);
  EXPECT_EQ(cfg->max_files, 1);
  EXPECT_FALSE(cfg->compress);
  cfg = parse_log_file_config(LogDriver::kJsonFile,
                              {{"max-size", "10m"}, {"max-file", "3"}, {"compress", "true"}});
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->max_size, 10'000'000);
  EXPECT_EQ(cfg->max_files, 3);
  EXPECT_TRUE(cfg->compress);

  EXPECT_EQ(config_error(LogDriver::kJsonFile, {{"max-file", "x"}}),
            "invalid value for max-file: x: strconv.Atoi: parsing \"x\": invalid syntax");
  EXPECT_EQ(config_error(LogDriver::kJsonFile, {{"max-file", "0"}}),
            "max-file cannot be less than 1");
  EXPECT_EQ(config_error(LogDriver::kJsonFile, {{"max-size", "big"}}),
            "invalid value for max-size: big: invalid size: 'big'");
  EXPECT_EQ(config_error(LogDriver::kJsonFile, {{"max-size", "0"}}),
            "max-size must be a positive number");
  EXPECT_EQ(
      config_error(LogDriver::kJsonFile, {{"compress", "maybe"}}),
      "invalid boolean value for compress: strconv.ParseBool: parsing \"maybe\": invalid syntax");
  EXPECT_EQ(config_error(LogDriver::kJsonFile, {{"compress", "true"}, {"max-size", "1m"}}),
            "compress cannot be true when max-file is less than 2 or max-size is not set");
  EXPECT_EQ(config_error(LogDriver::kJsonFile, {{"compress", "true"}, {"max-file", "2"}}),
            "compress cannot be true when max-file is less than 2 or max-size is not set");
}

TEST(LogOptionsTest, LocalDefaultsAndChecks) {
  auto cfg = parse_log_file_config(LogDriver::kLocal, {});
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->max_size, 20 * 1024 * 1024);
  EXPECT_EQ(cfg->max_files, 5);
  EXPECT_TRUE(cfg->compress);
  EXPECT_EQ(config_error(LogDriver::kLocal, {{"max-file", "1"}}),
            "compression cannot be enabled when max file count is 1");
  EXPECT_EQ(config_error(LogDriver::kLocal, {{"max-file", "-1"}}), "max-file must not be negative");
  EXPECT_EQ(config_error(LogDriver::kLocal, {{"max-file", "1"}, {"compress", "false"}}), "");
  EXPECT_EQ(
      config_error(LogDriver::kLocal, {{"compress", "yes"}}),
      "invalid boolean value for compress: strconv.ParseBool: parsing \"yes\": invalid syntax");
}

TEST(LogOptionsTest, MakeLogWriterReportsBadOptions) {
  test::TempDir dir;
  auto w = make_log_writer("json-file", dir / "c-json.log", {{"max-file", "many"}}, {});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message(),
            "invalid value for max-file: many: strconv.Atoi: parsing \"many\": invalid syntax");
  w = make_log_writer("json-file", dir / "c-json.log", {{"bogus", "1"}}, {});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message(), "unknown log opt 'bogus' for json-file log driver");
  w = make_log_writer("gelf", dir / "c-json.log", {}, {});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message(), "logger: no log driver named 'gelf' is registered");
  EXPECT_TRUE(test::list_dir(dir.path()).empty());  // nothing created on failure
}

TEST(LogOptionsTest, NoneDriverDiscardsAndCannotBeRead) {
  test::TempDir dir;
  auto w = test::writer("none", dir / "x.log");
  ASSERT_NE(w, nullptr);
  EXPECT_TRUE(w->write(test::message("hi\n", 1)).ok());
  EXPECT_TRUE(w->close().ok());
  EXPECT_TRUE(test::list_dir(dir.path()).empty());
  auto r = open_log_reader("none", dir / "x.log", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnimplemented);
  EXPECT_EQ(r.error().message(), "configured logging driver does not support reading");
}

TEST(LogOptionsTest, ReaderNeedsAStream) {
  ReadOptions o;
  o.show_stdout = false;
  o.show_stderr = false;
  auto r = open_log_reader("json-file", "/nonexistent/x.log", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "You must choose at least one stream");
}

TEST(LogOptionsTest, LogFilePaths) {
  EXPECT_EQ(log_file_path(LogDriver::kJsonFile, "/var/lib/berth/containers/abc", "abc"),
            "/var/lib/berth/containers/abc/abc-json.log");
  EXPECT_EQ(log_file_path(LogDriver::kLocal, "/var/lib/berth/containers/abc", "abc"),
            "/var/lib/berth/containers/abc/container.log");
  EXPECT_EQ(log_file_path(LogDriver::kNone, "/d", "abc"), "");
}

}  // namespace
}  // namespace berth::logging
