#include "logging/log_format.h"

#include <gtest/gtest.h>

#include "base/time_format.h"

namespace berth::logging {
namespace {

TEST(LogFormatTest, PlainLineIsTheBytes) {
  LogMessage m;
  m.line = "hello\n";
  EXPECT_EQ(format_docker_log_line(m, false, false), "hello\n");
}

TEST(LogFormatTest, TimestampsHaveNineFractionDigits) {
  LogMessage m;
  m.line = "x\n";
  m.time_ns = *parse_rfc3339_ns("2024-01-02T03:04:05.12Z");
  EXPECT_EQ(format_docker_log_line(m, true, false), "2024-01-02T03:04:05.120000000Z x\n");
  m.time_ns = *parse_rfc3339_ns("2024-01-02T03:04:05Z");
  EXPECT_EQ(format_docker_log_line(m, true, false), "2024-01-02T03:04:05.000000000Z x\n");
}

TEST(LogFormatTest, DetailsAreSortedQueryEscapedPairs) {
  LogMessage m;
  m.line = "x\n";
  m.attrs = {{"tag", "a b/c"}, {"com.x", "1&2=3"}};
  EXPECT_EQ(format_docker_log_line(m, false, true), "com.x=1%262%3D3,tag=a+b%2Fc x\n");
  m.time_ns = 1'500'000'000;
  EXPECT_EQ(format_docker_log_line(m, true, true),
            "1970-01-01T00:00:01.500000000Z com.x=1%262%3D3,tag=a+b%2Fc x\n");
  m.attrs.clear();
  EXPECT_EQ(format_docker_log_line(m, false, true), " x\n");  // the space stays, as in Docker
}

}  // namespace
}  // namespace berth::logging
