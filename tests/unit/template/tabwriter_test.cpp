// Go's text/tabwriter behaviour, on docker's settings and on others.
#include "template/tabwriter.h"

#include <gtest/gtest.h>

namespace berth::tmpl {
namespace {

TEST(TabwriterTest, AlignsColumnsWithDockerSettings) {
  EXPECT_EQ(tabwrite("a\tb\tc\naaaaaaaaaaaaa\tb\tc\n"),
            "a               b         c\n"
            "aaaaaaaaaaaaa   b         c\n");
}

TEST(TabwriterTest, TrailingTextIsNotAColumn) {
  // The last cell of a line is not tab-terminated, so it is not padded.
  EXPECT_EQ(tabwrite("x\tlonger text\ny\tz\n"), "x         longer text\ny         z\n");
}

TEST(TabwriterTest, LineWithoutTabsEndsAColumnBlock) {
  // Columns are runs of consecutive lines with a cell in them; a tab-less line splits them.
  EXPECT_EQ(tabwrite("aaaaaaaaaaaaaa\tb\nno tabs here\nc\td\n"),
            "aaaaaaaaaaaaaa   b\nno tabs here\nc         d\n");
}

TEST(TabwriterTest, ColumnBlocksFollowCellCounts) {
  // Go's doc example: b and c are distinct columns, d and e are in none.
  TabwriterOptions options{0, 8, 1, '.', 0};
  EXPECT_EQ(tabwrite("aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n", options),
            "aaaa.bbb.d\n"
            "aa...b...dd\n"
            "a....\n"
            "aa...cccc.eee\n");
}

TEST(TabwriterTest, UnterminatedLastLineIsFormatted) {
  EXPECT_EQ(tabwrite("a\tb\naaaaaaaaaaaa\tc"), "a              b\naaaaaaaaaaaa   c");
}

TEST(TabwriterTest, EmptyInput) {
  EXPECT_EQ(tabwrite(""), "");
}

TEST(TabwriterTest, WideCharactersCountTwoColumns) {
  EXPECT_EQ(tabwrite("名前\tx\nab\ty\n", TabwriterOptions{0, 8, 1, ' ', 0}), "名前 x\nab   y\n");
}

TEST(TabwriterTest, CombiningMarksCountZeroColumns) {
  EXPECT_EQ(tabwrite("e\xcc\x81\tx\nab\ty\n", TabwriterOptions{0, 8, 1, ' ', 0}),
            "e\xcc\x81  x\nab y\n");
}

TEST(TabwriterTest, AlignRight) {
  TabwriterOptions options{0, 8, 1, ' ', TabwriterOptions::kAlignRight};
  EXPECT_EQ(tabwrite("a\tbbb\t\naaa\tb\t\n", options), "   a bbb\n aaa   b\n");
}

TEST(TabwriterTest, PadWithTabs) {
  TabwriterOptions options{0, 4, 1, '\t', 0};
  EXPECT_EQ(tabwrite("a\tb\naaaaa\tc\n", options), "a\t\tb\naaaaa\tc\n");
}

TEST(TabwriterTest, DebugShowsColumnBars) {
  TabwriterOptions options{0, 8, 1, ' ', TabwriterOptions::kDebug};
  EXPECT_EQ(tabwrite("a\tb\tc\naa\tbb\tcc\n", options), "a  |b  |c\naa |bb |cc\n");
}

TEST(TabwriterTest, DiscardEmptyColumns) {
  TabwriterOptions options{0, 8, 1, ' ', TabwriterOptions::kDiscardEmptyColumns};
  EXPECT_EQ(tabwrite("a\v\vb\nc\v\vd\n", options), "a b\nc d\n");
}

TEST(TabwriterTest, EscapedTextIsOneCell) {
  // 0xff brackets text whose tabs do not split cells; the brackets count no width, and (as
  // go-runewidth counts) neither does the tab.
  EXPECT_EQ(tabwrite("\xff"
                     "a\tb\xff\tc\nd\te\n",
                     TabwriterOptions{0, 8, 1, ' ', 0}),
            "\xff"
            "a\tb\xff c\nd  e\n");
  EXPECT_EQ(tabwrite("\xff"
                     "a\tb\xff\tc\nd\te\n",
                     TabwriterOptions{0, 8, 1, ' ', TabwriterOptions::kStripEscape}),
            "a\tb c\nd  e\n");
}

TEST(TabwriterTest, FilterHtml) {
  TabwriterOptions options{0, 8, 1, ' ', TabwriterOptions::kFilterHtml};
  EXPECT_EQ(tabwrite("<b>a</b>\tx\n&amp;\ty\n", options), "<b>a</b> x\n&amp; y\n");
}

TEST(TabwriterTest, FormFeedFlushes) {
  // '\f' ends the column block like a line with one cell would.
  EXPECT_EQ(tabwrite("aaaaaaaaaaaaaaa\tb\fc\td\n"), "aaaaaaaaaaaaaaa   b\nc         d\n");
}

TEST(TabwriterTest, WriterIsReusableAfterFlush) {
  TabWriter writer(kDockerTableOptions);
  writer.write("a\t");
  writer.write("b\n");
  writer.flush();
  writer.write("cc\td\n");
  writer.flush();
  EXPECT_EQ(writer.take(), "a         b\ncc        d\n");
}

}  // namespace
}  // namespace berth::tmpl
