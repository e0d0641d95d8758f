// Display helpers against go-units' and docker's formatter's own expectations.
#include <gtest/gtest.h>

#include "cli/commands/common.h"
#include "cli/format/list_writer.h"
#include "cli/format/natural_sort.h"
#include "cli/format/ports.h"
#include "cli/format/reference.h"
#include "cli/format/units.h"

namespace berth::cli {
namespace {

TEST(Units, HumanSize) {
  EXPECT_EQ(human_size(0), "0B");
  EXPECT_EQ(human_size(1000), "1kB");
  EXPECT_EQ(human_size(1024), "1.024kB");
  EXPECT_EQ(human_size(4261550, 3), "4.26MB");
  EXPECT_EQ(human_size(187654321, 3), "188MB");
  EXPECT_EQ(human_size(1234567890, 3), "1.23GB");
  EXPECT_EQ(human_size(999999, 3), "1e+03kB");  // %.3g, as go-units prints it
  EXPECT_EQ(human_size(1426476761), "1.426GB");
  EXPECT_EQ(human_size(1e20), "100EB");
}

TEST(Units, BytesSize) {
  EXPECT_EQ(bytes_size(0), "0B");
  EXPECT_EQ(bytes_size(1024), "1KiB");
  EXPECT_EQ(bytes_size(9437184), "9MiB");
  EXPECT_EQ(bytes_size(67108864), "64MiB");
  EXPECT_EQ(bytes_size(24928698368.0), "23.22GiB");
}

TEST(Units, HumanDuration) {
  const int64_t s = 1000000000;
  EXPECT_EQ(human_duration_ns(0), "Less than a second");
  EXPECT_EQ(human_duration_ns(s), "1 second");
  EXPECT_EQ(human_duration_ns(45 * s), "45 seconds");
  EXPECT_EQ(human_duration_ns(75 * s), "About a minute");
  EXPECT_EQ(human_duration_ns(30 * 60 * s), "30 minutes");
  EXPECT_EQ(human_duration_ns(65 * 60 * s), "About an hour");
  EXPECT_EQ(human_duration_ns(3 * 3600 * s), "3 hours");
  EXPECT_EQ(human_duration_ns(10 * 86400 * s), "10 days");
  EXPECT_EQ(human_duration_ns(40 * 86400 * s), "5 weeks");
  EXPECT_EQ(human_duration_ns(400 * 86400 * s), "13 months");
  EXPECT_EQ(human_duration_ns(800 * 86400 * s), "2 years");
}

TEST(Units, RamInBytes) {
  EXPECT_EQ(*ram_in_bytes("64m"), 64 << 20);
  EXPECT_EQ(*ram_in_bytes("1.5g"), 1610612736);
  EXPECT_EQ(*ram_in_bytes("512"), 512);
  EXPECT_EQ(*ram_in_bytes("10KiB"), 10240);
  EXPECT_EQ(*ram_in_bytes("1 kb"), 1024);
  EXPECT_EQ(ram_in_bytes("foo").error().message(), "invalid size: 'foo'");
  EXPECT_EQ(ram_in_bytes("10q").error().message(), "invalid suffix: 'q'");
  EXPECT_EQ(ram_in_bytes("-1").error().message(), "invalid size: '-1'");
  EXPECT_EQ(*from_human_size("1kB"), 1000);
}

TEST(Units, GoTimeString) {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  EXPECT_EQ(go_time_string(0), "1970-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(go_time_string_rfc3339("2026-11-28T07:00:00.123456789Z"),
            "2026-11-28 07:00:00.123456789 +0000 UTC");
  EXPECT_EQ(go_time_string_rfc3339("2026-11-28T07:00:00.5Z"), "2026-11-28 07:00:00.5 +0000 UTC");
  EXPECT_EQ(go_time_string_rfc3339("2026-11-28T09:00:00+02:00"),
            "2026-11-28 09:00:00 +0200 +0200");
}

TEST(Units, TruncateAndEllipsis) {
  EXPECT_EQ(truncate_id("sha256:9d5226e6ce3fb6aee2822206a5ef85f3"), "9d5226e6ce3f");
  EXPECT_EQ(truncate_id("abc"), "abc");
  EXPECT_EQ(ellipsis("/docker-entrypoint.sh nginx", 20), "/docker-entrypoint.\xe2\x80\xa6");
  EXPECT_EQ(ellipsis("short", 20), "short");
  EXPECT_EQ(ellipsis("abc", 1), "a");
  EXPECT_EQ(ellipsis("abc", 0), "");
  // Wide characters count two columns.
  EXPECT_EQ(ellipsis("\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c", 5), "\xe4\xbd\xa0\xe5\xa5\xbd\xe2\x80\xa6");
  EXPECT_EQ(go_quote("a\"b"), "\"a\\\"b\"");
}

TEST(Ports, DisplayablePorts) {
  Json ports = Json::parse(R"([
    {"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
    {"IP":"::","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
    {"PrivatePort":443,"Type":"tcp"}])");
  EXPECT_EQ(displayable_ports(ports), "443/tcp, 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp");
  Json ranges = Json::parse(R"([
    {"PrivatePort":5432,"Type":"tcp"},{"PrivatePort":5433,"Type":"tcp"},
    {"IP":"127.0.0.1","PrivatePort":9000,"PublicPort":9000,"Type":"udp"},
    {"IP":"127.0.0.1","PrivatePort":9001,"PublicPort":9001,"Type":"udp"}])");
  EXPECT_EQ(displayable_ports(ranges), "5432-5433/tcp, 127.0.0.1:9000-9001->9000-9001/udp");
  Json gap = Json::parse(R"([{"PrivatePort":1,"Type":"tcp"},{"PrivatePort":3,"Type":"tcp"},
                             {"PrivatePort":2,"Type":"udp"}])");
  EXPECT_EQ(displayable_ports(gap), "1/tcp, 3/tcp, 2/udp");
  EXPECT_EQ(displayable_ports(Json::array()), "");
  EXPECT_EQ(join_host_port("::1", "80"), "[::1]:80");
}

TEST(NaturalSort, NumbersCompareAsNumbers) {
  EXPECT_TRUE(natural_less("net9", "net10"));
  EXPECT_FALSE(natural_less("net10", "net9"));
  EXPECT_TRUE(natural_less("53/udp -> x", "80/tcp -> y"));
  EXPECT_TRUE(natural_less("a1b", "a01"));  // equal numbers: fewer leading zeros first
  EXPECT_TRUE(natural_less("a", "ab"));
}

TEST(Reference, Normalizes) {
  auto r = parse_normalized_named("busybox");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->str(), "docker.io/library/busybox");
  EXPECT_EQ(r->familiar(), "busybox");
  r = parse_normalized_named("user/app:1.0");
  EXPECT_EQ(r->str(), "docker.io/user/app:1.0");
  EXPECT_EQ(r->familiar(), "user/app:1.0");
  r = parse_normalized_named("localhost:5000/team/app@sha256:0123456789012345678901234567890123456789012345678901234567890123");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->domain, "localhost:5000");
  EXPECT_EQ(r->familiar_name(), "localhost:5000/team/app");
  EXPECT_EQ(parse_normalized_named("Busybox").error().message(),
            "invalid reference format: repository name (library/Busybox) must be lowercase");
  EXPECT_EQ(parse_normalized_named("bad:tag:x").error().message(), "invalid reference format");
}

TEST(ListWriter, TableJsonAndTemplates) {
  std::vector<ListRow> rows = {{Json{{"ID", "abc"}, {"Name", "web"}}, {{"team", "a"}}},
                               {Json{{"ID", "defghijklmno"}, {"Name", "db"}}, {}}};
  Json header{{"ID", "CONTAINER ID"}, {"Name", "NAME"}};
  EXPECT_EQ(*render_list("table {{.ID}}\t{{.Name}}", header, rows),
            "CONTAINER ID   NAME\nabc            web\ndefghijklmno   db\n");
  EXPECT_EQ(*render_list("json", header, rows),
            "{\"ID\":\"abc\",\"Name\":\"web\"}\n{\"ID\":\"defghijklmno\",\"Name\":\"db\"}\n");
  EXPECT_EQ(*render_list("{{.Name}}:{{.Label \"team\"}}", header, rows), "web:a\ndb:\n");
  EXPECT_EQ(*render_list("table {{.Name}}\t{{.Label \"com.example.team-name\"}}", header, rows),
            "NAME      team name\nweb       \ndb        \n");
  EXPECT_EQ(render_list("{{.Name", header, rows).error().message().substr(0, 31),
            "template parsing error: templat");
}

TEST(GoJson, IndentAndCompactKeepOrder) {
  EXPECT_EQ(go_json_indent(R"([{"b":1,"a":[],"c":{},"d":[1,2],"e":"x, y: z"}])"),
            "[\n    {\n        \"b\": 1,\n        \"a\": [],\n        \"c\": {},\n        \"d\": [\n"
            "            1,\n            2\n        ],\n        \"e\": \"x, y: z\"\n    }\n]");
  EXPECT_EQ(go_json_compact("[ {\"a\" : \"b c\"}\n]\n"), "[{\"a\":\"b c\"}]");
}

}  // namespace
}  // namespace berth::cli
