#include "template/tabwriter.h"

#include <algorithm>

#include "template/unicode.h"

namespace berth::tmpl {
namespace {

constexpr char kEscape = '\xff';  // cannot occur in UTF-8

}  // namespace

TabWriter::TabWriter(TabwriterOptions options) : options_(options) {
  if (options_.pad_char == '\t') options_.flags &= ~TabwriterOptions::kAlignRight;
  reset();
}

void TabWriter::reset() {
  buf_.clear();
  pos_ = 0;
  cell_ = Cell{};
  end_char_ = 0;
  lines_.clear();
  widths_.clear();
  lines_.emplace_back();
}

void TabWriter::append(std::string_view text) {
  buf_ += text;
  cell_.size += static_cast<int>(text.size());
}

void TabWriter::update_width() {
  cell_.width += static_cast<int>(display_width(std::string_view(buf_).substr(pos_)));
  pos_ = buf_.size();
}

int TabWriter::terminate_cell(bool htab) {
  cell_.htab = htab;
  lines_.back().push_back(cell_);
  cell_ = Cell{};
  return static_cast<int>(lines_.back().size());
}

void TabWriter::start_escape(char c) {
  if (c == kEscape) {
    end_char_ = kEscape;
  } else if (c == '<') {
    end_char_ = '>';
  } else if (c == '&') {
    end_char_ = ';';
  }
}

void TabWriter::end_escape() {
  if (end_char_ == kEscape) {
    update_width();
    if ((options_.flags & TabwriterOptions::kStripEscape) == 0)
      cell_.width -= 2;  // not the escapes
  } else if (end_char_ == ';') {
    ++cell_.width;  // an entity counts as one character; a tag as none
  }
  pos_ = buf_.size();
  end_char_ = 0;
}

void TabWriter::write_padding(int text_width, int cell_width, bool use_tabs) {
  if (options_.pad_char == '\t' || use_tabs) {
    if (options_.tab_width == 0) return;  // tabs have no width: no padding possible
    int tw = options_.tab_width;
    cell_width = (cell_width + tw - 1) / tw * tw;
    int n = cell_width - text_width;
    if (n > 0) out_.append(static_cast<size_t>((n + tw - 1) / tw), '\t');
    return;
  }
  if (cell_width > text_width)
    out_.append(static_cast<size_t>(cell_width - text_width), options_.pad_char);
}

size_t TabWriter::write_lines(size_t pos, size_t line0, size_t line1) {
  for (size_t i = line0; i < line1; ++i) {
    const std::vector<Cell>& line = lines_[i];
    bool use_tabs = (options_.flags & TabwriterOptions::kTabIndent) != 0;
    for (size_t j = 0; j < line.size(); ++j) {
      const Cell& c = line[j];
      if (j > 0 && (options_.flags & TabwriterOptions::kDebug) != 0) out_.push_back('|');
      if (c.size == 0) {
        if (j < widths_.size()) write_padding(c.width, widths_[j], use_tabs);
        continue;
      }
      use_tabs = false;
      auto size = static_cast<size_t>(c.size);
      if ((options_.flags & TabwriterOptions::kAlignRight) == 0) {
        out_.append(buf_, pos, size);
        pos += size;
        if (j < widths_.size()) write_padding(c.width, widths_[j], false);
      } else {
        if (j < widths_.size()) write_padding(c.width, widths_[j], false);
        out_.append(buf_, pos, size);
        pos += size;
      }
    }
    if (i + 1 == lines_.size()) {
      // The last buffered line has no newline yet: write the incomplete cell's text.
      out_.append(buf_, pos, static_cast<size_t>(cell_.size));
      pos += static_cast<size_t>(cell_.size);
    } else {
      out_.push_back('\n');
    }
  }
  return pos;
}

// Formats lines [line0, line1) whose columns left of widths_.size() are already sized: finds
// each block of consecutive lines that have a cell in the next column, sizes that column for the
// block, and recurses for the columns to its right.
size_t TabWriter::format(size_t pos, size_t line0, size_t line1) {
  auto column = static_cast<int>(widths_.size());
  for (size_t current = line0; current < line1; ++current) {
    // A line's last cell is not tab-terminated and so belongs to no column.
    if (column >= static_cast<int>(lines_[current].size()) - 1) continue;
    pos = write_lines(pos, line0, current);
    line0 = current;
    int width = options_.min_width;
    bool discardable = true;
    for (; current < line1; ++current) {
      const std::vector<Cell>& line = lines_[current];
      if (column >= static_cast<int>(line.size()) - 1) break;
      const Cell& c = line[static_cast<size_t>(column)];
      width = std::max(width, c.width + options_.padding);
      if (c.width > 0 || c.htab) discardable = false;
    }
    if (discardable && (options_.flags & TabwriterOptions::kDiscardEmptyColumns) != 0) width = 0;
    widths_.push_back(width);
    pos = format(pos, line0, current);
    widths_.pop_back();
    line0 = current;
  }
  return write_lines(pos, line0, line1);
}

void TabWriter::write(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (end_char_ == 0) {
      switch (ch) {
        case '\t':
        case '\v':
        case '\n':
        case '\f': {
          append(text.substr(n, i - n));
          update_width();
          n = i + 1;
          int cells = terminate_cell(ch == '\t');
          if (ch == '\n' || ch == '\f') {
            lines_.emplace_back();
            // A line with one cell cannot affect later lines' columns: format what we have.
            if (ch == '\f' || cells == 1) {
              flush();
              if (ch == '\f' && (options_.flags & TabwriterOptions::kDebug) != 0) out_ += "---\n";
            }
          }
          break;
        }
        case kEscape:
          append(text.substr(n, i - n));
          update_width();
          n = i;
          if ((options_.flags & TabwriterOptions::kStripEscape) != 0) ++n;
          start_escape(kEscape);
          break;
        case '<':
        case '&':
          if ((options_.flags & TabwriterOptions::kFilterHtml) != 0) {
            append(text.substr(n, i - n));
            update_width();
            n = i;
            start_escape(ch);
          }
          break;
        default: break;
      }
    } else if (ch == end_char_) {
      size_t j = i + 1;
      if (ch == kEscape && (options_.flags & TabwriterOptions::kStripEscape) != 0) j = i;
      append(text.substr(n, j - n));
      n = i + 1;
      end_escape();
    }
  }
  append(text.substr(n));
}

void TabWriter::flush() {
  if (cell_.size > 0) {
    if (end_char_ != 0) end_escape();  // an unterminated escape ends here
    terminate_cell(false);
  }
  format(0, 0, lines_.size());
  reset();
}

std::string tabwrite(std::string_view text, TabwriterOptions options) {
  TabWriter writer(options);
  writer.write(text);
  writer.flush();
  return writer.take();
}

}  // namespace berth::tmpl
