// `cp`'s local ends: tar round trips, docker's path rules, and refusing entries that escape.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/archive/copy_paths.h"
#include "cli/archive/local_tar.h"
#include "cli/archive/tar.h"

namespace berth::cli {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/berth-archive-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << content;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string pack(const CopyInfo& src) {
  std::string tar;
  TarWriter w([&tar](std::string_view d) {
    tar.append(d);
    return ok_status();
  });
  EXPECT_TRUE(tar_resource(src, w).ok());
  return tar;
}

TEST(Tar, RoundTripsFilesDirsLinksAndLongNames) {
  TempDir src;
  TempDir dst;
  std::string long_name(150, 'n');
  write_file(src.path() + "/dir/a.txt", "hello");
  write_file(src.path() + "/dir/sub/" + long_name, std::string(70000, 'x'));
  fs::create_symlink("a.txt", src.path() + "/dir/link");
  fs::create_hard_link(src.path() + "/dir/a.txt", src.path() + "/dir/hard");
  ::chmod((src.path() + "/dir/a.txt").c_str(), 0640);

  std::string tar = pack(*copy_info_source_path(src.path() + "/dir", false));
  http::StringBodyReader in(tar);
  TarReader reader(in);
  ASSERT_TRUE(untar_into(reader, dst.path(), ArchiveCopyPlan{dst.path(), "", "", false}).ok());
  EXPECT_EQ(read_file(dst.path() + "/dir/a.txt"), "hello");
  EXPECT_EQ(read_file(dst.path() + "/dir/sub/" + long_name), std::string(70000, 'x'));
  EXPECT_EQ(fs::read_symlink(dst.path() + "/dir/link"), "a.txt");
  EXPECT_EQ(read_file(dst.path() + "/dir/hard"), "hello");
  EXPECT_EQ(fs::status(dst.path() + "/dir/a.txt").permissions() & fs::perms::all,
            static_cast<fs::perms>(0640));
}

TEST(Tar, RefusesEntriesThatEscape) {
  TempDir dst;
  TempDir outside;
  std::string tar;
  TarWriter w([&tar](std::string_view d) {
    tar.append(d);
    return ok_status();
  });
  // A symlink to outside, then a file written "through" it.
  TarHeader link;
  link.name = "evil";
  link.type = '2';
  link.linkname = outside.path();
  ASSERT_TRUE(w.write_header(link).ok());
  TarHeader file;
  file.name = "evil/pwned";
  file.size = 1;
  ASSERT_TRUE(w.write_header(file).ok());
  ASSERT_TRUE(w.write("x").ok());
  ASSERT_TRUE(w.close().ok());
  http::StringBodyReader in(tar);
  TarReader reader(in);
  Status st = untar_into(reader, dst.path(), ArchiveCopyPlan{dst.path(), "", "", false});
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(fs::exists(outside.path() + "/pwned"));
}

TEST(Tar, DotDotNamesStayInside) {
  TempDir dst;
  std::string tar;
  TarWriter w([&tar](std::string_view d) {
    tar.append(d);
    return ok_status();
  });
  TarHeader file;
  file.name = "../../../../tmp/../escape.txt";
  file.size = 2;
  ASSERT_TRUE(w.write_header(file).ok());
  ASSERT_TRUE(w.write("hi").ok());
  ASSERT_TRUE(w.close().ok());
  http::StringBodyReader in(tar);
  TarReader reader(in);
  ASSERT_TRUE(untar_into(reader, dst.path(), ArchiveCopyPlan{dst.path(), "", "", false}).ok());
  // Cleaned against the root: it lands inside, never above.
  EXPECT_TRUE(fs::exists(dst.path() + "/escape.txt"));
}

TEST(CopyPaths, DockerRules) {
  EXPECT_EQ(preserve_trailing_dot_or_separator("/a/b", "a/b/"), "/a/b/");
  EXPECT_EQ(preserve_trailing_dot_or_separator("/a/b", "a/b/."), "/a/b/.");
  EXPECT_EQ(split_path_dir_entry("/a/b").first, "/a");
  EXPECT_EQ(split_path_dir_entry("/a/b").second, "b");
  EXPECT_EQ(split_path_dir_entry("/a/b/.").second, ".");
  EXPECT_EQ(split_path_dir_entry("/a/b/.").first, "/a/b");
  EXPECT_TRUE(asserts_directory("/x/"));
  EXPECT_TRUE(asserts_directory("/x/."));
  EXPECT_FALSE(asserts_directory("/x"));
  EXPECT_EQ(rebase_entry_name("src/file", "src", "dst"), "dst/file");
  EXPECT_EQ(rebase_entry_name("./file", ".", "dst"), "dst/file");

  CopyInfo file{"/s/f.txt", true, false, ""};
  CopyInfo dir{"/s/d", true, true, ""};
  // Into an existing directory: no rename.
  auto plan = prepare_archive_copy(file, CopyInfo{"/t", true, true, ""});
  EXPECT_EQ(plan->dst_dir, "/t");
  EXPECT_FALSE(plan->rebase);
  // Over an existing file: renamed to it.
  plan = prepare_archive_copy(file, CopyInfo{"/t/g.txt", true, false, ""});
  EXPECT_EQ(plan->dst_dir, "/t");
  EXPECT_EQ(plan->rebase_to, "g.txt");
  // A directory onto a file: refused.
  EXPECT_EQ(prepare_archive_copy(dir, CopyInfo{"/t/g.txt", true, false, ""}).error().message(),
            "cannot copy directory");
  // A file to "new/": the directory must exist.
  EXPECT_EQ(prepare_archive_copy(file, CopyInfo{"/t/new/", false, false, ""}).error().message(),
            "no such directory");
  // A directory to a new name.
  plan = prepare_archive_copy(dir, CopyInfo{"/t/new", false, false, ""});
  EXPECT_EQ(plan->dst_dir, "/t");
  EXPECT_EQ(plan->rebase_from, "d");
  EXPECT_EQ(plan->rebase_to, "new");
}

TEST(CopyPaths, ContentsOfADirectory) {
  TempDir src;
  TempDir dst;
  write_file(src.path() + "/d/one", "1");
  write_file(src.path() + "/d/two/three", "3");
  // `cp d/. target` copies the contents into target.
  CopyInfo info = *copy_info_source_path(src.path() + "/d/.", false);
  std::string tar = pack(info);
  auto plan = prepare_archive_copy(info, CopyInfo{dst.path(), true, true, ""});
  ASSERT_TRUE(plan.ok());
  http::StringBodyReader in(tar);
  TarReader reader(in);
  ASSERT_TRUE(untar_into(reader, plan->dst_dir, *plan).ok());
  EXPECT_EQ(read_file(dst.path() + "/one"), "1");
  EXPECT_EQ(read_file(dst.path() + "/two/three"), "3");
}

}  // namespace
}  // namespace berth::cli
