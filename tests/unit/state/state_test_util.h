#pragma once

#include <stdlib.h>

#include <string>

#include <gtest/gtest.h>

#include "base/file_util.h"

namespace berth::state::test {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/berth-state-XXXXXX";
    EXPECT_NE(::mkdtemp(tmpl), nullptr);
    path_ = tmpl;
  }
  ~TempDir() { (void)remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_join(path_, rel); }

 private:
  std::string path_;
};

}  // namespace berth::state::test
