#include "logging/json_file_codec.h"

#include <gtest/gtest.h>

#include "base/time_format.h"
#include "logging/go_json.h"

namespace berth::logging {
namespace {

const int64_t kTime = *parse_rfc3339_ns("2024-01-02T03:04:05.123456789Z");

std::string record(std::string_view line, bool partial = false, Stream stream = Stream::kStdout,
                   std::string_view attrs = {}, int64_t time = kTime) {
  LogMessage m;
  m.line = std::string(line);
  m.partial = partial;
  m.stream = stream;
  m.time_ns = time;
  std::string out;
  append_json_log_record(out, m, attrs);
  return out;
}

// The "log" value as written, without the quotes.
std::string log_value(std::string_view line) {
  std::string r = record(line, true);
  size_t start = r.find("\"log\":\"") + 7;
  size_t end = r.find("\",\"stream\"");
  return r.substr(start, end - start);
}

TEST(JsonFileCodecTest, WritesDockersExactLine) {
  EXPECT_EQ(
      record("hello\n"),
      "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.123456789Z\"}\n");
  EXPECT_EQ(
      record("oops\n", false, Stream::kStderr),
      "{\"log\":\"oops\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-02T03:04:05.123456789Z\"}\n");
}

TEST(JsonFileCodecTest, TrimsFractionZerosLikeRfc3339Nano) {
  int64_t t = *parse_rfc3339_ns("2024-01-02T03:04:05.1Z");
  EXPECT_EQ(record("x\n", false, Stream::kStdout, {}, t),
            "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.1Z\"}\n");
  t = *parse_rfc3339_ns("2024-01-02T03:04:05Z");
  EXPECT_EQ(record("x\n", false, Stream::kStdout, {}, t),
            "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05Z\"}\n");
}

TEST(JsonFileCodecTest, PartialLinesGetNoNewlineCompleteOnesAlwaysDo) {
  EXPECT_EQ(
      record("abc", true),
      "{\"log\":\"abc\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.123456789Z\"}\n");
  // Docker appends '\n' to every message that is not a partial piece.
  EXPECT_EQ(
      record("abc", false),
      "{\"log\":\"abc\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.123456789Z\"}\n");
  // An empty partial has no "log" at all (omitempty).
  EXPECT_EQ(record("", true),
            "{\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.123456789Z\"}\n");
}

TEST(JsonFileCodecTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(log_value("say \"hi\" \\ bye"), "say \\\"hi\\\" \\\\ bye");
  EXPECT_EQ(log_value("a/b"), "a/b");
}

TEST(JsonFileCodecTest, EscapesControlCharactersLikeDockersEncoder) {
  // Only \n and \r are short; tab, \b, \f and the rest are \u00XX.
  EXPECT_EQ(log_value(std::string("\t\x01\x1f\r\b\f\n", 7)),
            "\\u0009\\u0001\\u001f\\r\\u0008\\u000c\\n");
  EXPECT_EQ(log_value(std::string("a\0b", 3)), "a\\u0000b");
  EXPECT_EQ(log_value("\x7f"), "\x7f");  // DEL is not escaped
}

TEST(JsonFileCodecTest, EscapesHtmlCharacters) {
  EXPECT_EQ(log_value("<a href=\"x\">&</a>"),
            "\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e");
}

TEST(JsonFileCodecTest, ReplacesEachInvalidUtf8ByteWithReplacementCharacter) {
  EXPECT_EQ(log_value("\xff\xfe ok"), "\\ufffd\\ufffd ok");
  EXPECT_EQ(log_value("\xc3\x28"), "\\ufffd(");                              // bad continuation
  EXPECT_EQ(log_value("\xc0\xaf"), "\\ufffd\\ufffd");                        // overlong
  EXPECT_EQ(log_value("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");             // surrogate
  EXPECT_EQ(log_value("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");  // > U+10FFFF
  EXPECT_EQ(log_value("x\xe2\x82"), "x\\ufffd\\ufffd");                      // truncated at the end
  EXPECT_EQ(log_value("\xef\xbf\xbd"), "\xef\xbf\xbd");  // a real U+FFFD stays as is
}

TEST(JsonFileCodecTest, KeepsValidUnicodeButEscapesLineSeparators) {
  EXPECT_EQ(log_value("h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x98\x80"),
            "h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x98\x80");
  EXPECT_EQ(log_value("a\xe2\x80\xa8"
                      "b\xe2\x80\xa9"),
            "a\\u2028b\\u2029");
}

TEST(JsonFileCodecTest, WritesAttrsBetweenStreamAndTime) {
  std::string attrs = go_json_string_map({{"a", "1"}, {"tag", "t<\t"}});
  EXPECT_EQ(attrs, "{\"a\":\"1\",\"tag\":\"t\\u003c\\t\"}");
  EXPECT_EQ(
      record("x\n", false, Stream::kStderr, attrs),
      "{\"log\":\"x\\n\",\"stream\":\"stderr\",\"attrs\":{\"a\":\"1\",\"tag\":\"t\\u003c\\t\"},"
      "\"time\":\"2024-01-02T03:04:05.123456789Z\"}\n");
}

TEST(JsonFileCodecTest, GoEncodingJsonUsesShortEscapes) {
  std::string out;
  append_go_json_string(out, std::string("\b\f\n\r\t\x01<>&\xff", 10));
  EXPECT_EQ(out, "\"\\b\\f\\n\\r\\t\\u0001\\u003c\\u003e\\u0026\\ufffd\"");
}

TEST(JsonFileCodecTest, RoundTrips) {
  std::string tricky = "q\"\\ <>& \t\x01 h\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\xa8\n";
  std::string r = record(tricky, false, Stream::kStderr, "{\"k\":\"v\\u003c\"}");
  auto m = parse_json_log_record(std::string_view(r).substr(0, r.size() - 1), true);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->line, tricky);
  EXPECT_EQ(m->stream, Stream::kStderr);
  EXPECT_EQ(m->time_ns, kTime);
  EXPECT_FALSE(m->partial);
  ASSERT_EQ(m->attrs.size(), 1u);
  EXPECT_EQ(m->attrs[0], (LogAttr{"k", "v<"}));

  r = record("piece", true);
  m = parse_json_log_record(std::string_view(r).substr(0, r.size() - 1), false);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->line, "piece");
  EXPECT_TRUE(m->partial);
}

TEST(JsonFileCodecTest, DecodesSurrogatesAsGoDoes) {
  auto m = parse_json_log_record(
      R"({"log":"\ud83d\ude00 \ud800x \udc00\n","stream":"stdout","time":"2024-01-02T03:04:05Z"})",
      false);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->line, "\xf0\x9f\x98\x80 \xef\xbf\xbdx \xef\xbf\xbd\n");
}

TEST(JsonFileCodecTest, SkipsUnknownKeysAndRejectsGarbage) {
  auto m = parse_json_log_record(
      R"({"log":"a\n","extra":{"x":[1,2.5e3,{"y":null}],"z":true},"stream":"stdout","time":"2024-01-02T03:04:05Z"})",
      true);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->line, "a\n");
  EXPECT_FALSE(parse_json_log_record("not json", false).ok());
  EXPECT_FALSE(parse_json_log_record(R"({"log":"a\n","time":"2024-01-02T03:04:05Z"})", false).ok());
  EXPECT_FALSE(parse_json_log_record(
                   R"({"log":"a\n","stream":"other","time":"2024-01-02T03:04:05Z"})", false)
                   .ok());
  EXPECT_FALSE(
      parse_json_log_record(R"({"log":"a\n","stream":"stdout","time":"yesterday"})", false).ok());
  EXPECT_FALSE(parse_json_log_record(
                   R"({"log":"a\n","stream":"stdout","time":"2024-01-02T03:04:05Z"}{"log")", false)
                   .ok());
}

}  // namespace
}  // namespace berth::logging
