#include <fcntl.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "base/time_format.h"
#include "logging/gzip_file.h"
#include "logging/json_file_codec.h"
#include "logging/rotating_file.h"
#include "logging_test_util.h"

namespace berth::logging {
namespace {

using test::list_dir;
using test::message;
using test::slurp;
using test::TempDir;

constexpr int64_t kBase = 1'700'000'000'000'000'000;

std::string line(int i) {
  return fmt::format("line-{:02}\n", i);
}
// Nine fraction digits for every line, so that all records have the same size.
int64_t at(int i) {
  return kBase + i * 1000 + 1;
}

std::string json_record(int i) {
  std::string out;
  append_json_log_record(out, message(line(i), at(i)), {});
  return out;
}

std::string json_records(int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += json_record(i);
  return out;
}

void write_lines(LogWriter& w, int from, int to) {
  for (int i = from; i < to; ++i) ASSERT_TRUE(w.write(message(line(i), at(i))).ok());
}

TEST(RotationTest, RotatesByRenamingAndKeepsMaxFiles) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  size_t rec = json_record(0).size();
  ASSERT_GT(rec * 2, 150u);
  ASSERT_LT(rec, 150u);
  // A file takes records until it has reached max-size, then the next record rotates it: two
  // records per file here.
  auto w = test::writer("json-file", path, {{"max-size", "150"}, {"max-file", "3"}});
  write_lines(*w, 0, 3);
  EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"c-json.log", "c-json.log.1"}));
  EXPECT_EQ(slurp(path + ".1"), json_records(0, 2));
  EXPECT_EQ(slurp(path), json_records(2, 3));
  write_lines(*w, 3, 20);
  ASSERT_TRUE(w->close().ok());
  EXPECT_EQ(list_dir(dir.path()),
            (std::vector<std::string>{"c-json.log", "c-json.log.1", "c-json.log.2"}));
  EXPECT_EQ(slurp(path), json_records(18, 20));
  EXPECT_EQ(slurp(path + ".1"), json_records(16, 18));
  EXPECT_EQ(slurp(path + ".2"), json_records(14, 16));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(RotationTest, SingleFileIsReplaced) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  auto w = test::writer("json-file", path, {{"max-size", "150"}});
  write_lines(*w, 0, 7);
  EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"c-json.log"}));
  EXPECT_EQ(slurp(path), json_records(6, 7));
}

TEST(RotationTest, CompressesRotatedFilesWithLastTimeInTheHeader) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  auto w =
      test::writer("json-file", path, {{"max-size", "150"}, {"max-file", "4"}, {"compress", "1"}});
  write_lines(*w, 0, 3);
  EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"c-json.log", "c-json.log.1.gz"}));
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  write_lines(*w, 3, 9);
  EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"c-json.log", "c-json.log.1.gz",
                                                            "c-json.log.2.gz", "c-json.log.3.gz"}));
  EXPECT_EQ(slurp(path), json_records(8, 9));
  EXPECT_EQ(test::gunzip(slurp(path + ".1.gz")), json_records(6, 8));
  EXPECT_EQ(test::gunzip(slurp(path + ".2.gz")), json_records(4, 6));
  EXPECT_EQ(test::gunzip(slurp(path + ".3.gz")), json_records(2, 4));

  std::string gz = slurp(path + ".3.gz");
  std::string want_time = "\"lastTime\":\"" + format_rfc3339_nano_ns(at(3)) + "\"";
  EXPECT_NE(gz.find(want_time), std::string::npos);
  UniqueFd fd(::open((path + ".3.gz").c_str(), O_RDONLY | O_CLOEXEC));
  GzipMeta meta = read_gzip_meta(fd.get());
  EXPECT_EQ(meta.last_time_ns, at(3));
  EXPECT_EQ(meta.origin_ino, before.st_ino);  // the file it was while being written
}

TEST(RotationTest, ReopenedWriterAppendsAndCountsWhatIsThere) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  auto w = test::writer("json-file", path, {{"max-size", "150"}, {"max-file", "2"}});
  write_lines(*w, 0, 1);
  w.reset();
  w = test::writer("json-file", path, {{"max-size", "150"}, {"max-file", "2"}});
  write_lines(*w, 1, 3);
  EXPECT_EQ(slurp(path + ".1"), json_records(0, 2));
  EXPECT_EQ(slurp(path), json_records(2, 3));
}

TEST(RotationTest, FinishesAnInterruptedCompression) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  ASSERT_TRUE(write_file(path + ".1", json_records(0, 2)).ok());
  ASSERT_TRUE(write_file(path + ".1.gz.tmp", "garbage").ok());
  auto w = test::writer("json-file", path,
                        {{"max-size", "150"}, {"max-file", "3"}, {"compress", "true"}});
  EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"c-json.log", "c-json.log.1.gz"}));
  EXPECT_EQ(test::gunzip(slurp(path + ".1.gz")), json_records(0, 2));
}

TEST(RotationTest, WritesAttributesFromOptions) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  ContainerInfo info;
  info.id = "0123456789abcdef";
  info.name = "/web";
  info.labels = {{"team", "core"}};
  info.env = {"MODE=prod"};
  auto w = test::writer("json-file", path,
                        {{"labels", "team"}, {"env", "MODE"}, {"tag", "{{.Name}}"}}, info);
  ASSERT_TRUE(w->write(message("hi\n", kBase)).ok());
  EXPECT_EQ(slurp(path),
            "{\"log\":\"hi\\n\",\"stream\":\"stdout\",\"attrs\":{\"MODE\":\"prod\","
            "\"tag\":\"web\",\"team\":\"core\"},\"time\":\"2023-11-14T22:13:20Z\"}\n");
}

}  // namespace
}  // namespace berth::logging
