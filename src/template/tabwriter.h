// Go's text/tabwriter (the elastic tabstops algorithm), as docker's fork of it behaves: cells
// are tab-terminated, a column is a run of lines that have a cell in it, and cell widths are
// counted in terminal columns (docker uses go-runewidth where Go counts runes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth::tmpl {

struct TabwriterOptions {
  enum Flag : unsigned {
    kFilterHtml = 1,           // HTML tags have width 0, entities width 1
    kStripEscape = 2,          // drop the 0xff escape bytes that bracket literal text
    kAlignRight = 4,           // right-align cell contents
    kDiscardEmptyColumns = 8,  // drop columns of empty, soft-tab-terminated cells
    kTabIndent = 16,           // pad leading empty cells with tabs
    kDebug = 32,               // print '|' between columns
  };

  int min_width = 0;  // cell width including padding
  int tab_width = 8;  // width of a tab when padding with tabs
  int padding = 1;    // added to a cell's width
  char pad_char = ' ';
  unsigned flags = 0;
};

// docker's table writer: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0).
inline constexpr TabwriterOptions kDockerTableOptions{10, 1, 3, ' ', 0};

class TabWriter {
 public:
  explicit TabWriter(TabwriterOptions options);

  // Buffers text; completed blocks of lines are formatted into the output as they allow.
  void write(std::string_view text);
  // Formats everything buffered; the writer can be reused afterwards.
  void flush();
  // The output so far (call flush first for all of it).
  std::string take() { return std::move(out_); }

 private:
  struct Cell {
    int size = 0;       // bytes
    int width = 0;      // terminal columns
    bool htab = false;  // terminated by '\t' rather than '\v'
  };

  void reset();
  void append(std::string_view text);
  void update_width();
  int terminate_cell(bool htab);
  void start_escape(char c);
  void end_escape();
  void write_padding(int text_width, int cell_width, bool use_tabs);
  size_t write_lines(size_t pos, size_t line0, size_t line1);
  size_t format(size_t pos, size_t line0, size_t line1);

  TabwriterOptions options_;
  std::string out_;
  std::string buf_;    // cell text, tabs and line breaks removed
  size_t pos_ = 0;     // how far into buf_ the current cell's width is counted
  Cell cell_;          // the cell being collected
  char end_char_ = 0;  // the byte that ends the current escape, or 0
  std::vector<std::vector<Cell>> lines_;
  std::vector<int> widths_;  // column widths while formatting
};

// Runs `text` through a TabWriter and flushes it.
std::string tabwrite(std::string_view text, TabwriterOptions options = kDockerTableOptions);

}  // namespace berth::tmpl
