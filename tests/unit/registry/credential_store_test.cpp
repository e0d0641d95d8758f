#include "registry/credential_store.h"

#include <sys/stat.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/json.h"
#include "registry_test_util.h"

namespace berth::registry {
namespace {

constexpr const char* kDockerConfig = R"({
	"auths": {
		"https://index.docker.io/v1/": {
			"auth": "aHVidXNlcjpodWJwYXNz"
		},
		"http://old.example:5000/v1/": {
			"auth": "b2xkOnNlY3JldA==",
			"email": "old@example.com"
		},
		"ghcr.io": {
			"identitytoken": "refresh-me"
		}
	},
	"psFormat": "table {{.ID}}",
	"proxies": {"default": {"httpProxy": "http://proxy:3128"}},
	"currentContext": "default"
}
)";

class CredentialStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path() const { return dir_.path() + "/config.json"; }
};

TEST_F(CredentialStoreTest, ReadsDockerFormat) {
  ASSERT_TRUE(write_file(path(), kDockerConfig).ok());
  auto store = CredentialStore::load(path());
  ASSERT_TRUE(store.ok()) << store.error().to_string();
  for (const char* hub :
       {"docker.io", "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1/"}) {
    auto c = store->get(hub);
    ASSERT_TRUE(c.has_value()) << hub;
    EXPECT_EQ(c->username, "hubuser");
    EXPECT_EQ(c->password, "hubpass");
  }
  auto old = store->get("old.example:5000");  // key written as a URL
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->username, "old");
  EXPECT_EQ(old->password, "secret");
  auto ghcr = store->get("ghcr.io");
  ASSERT_TRUE(ghcr.has_value());
  EXPECT_EQ(ghcr->identity_token, "refresh-me");
  EXPECT_TRUE(ghcr->username.empty());
  EXPECT_FALSE(store->get("quay.io").has_value());
}

TEST_F(CredentialStoreTest, ModifyAndSavePreservesUnknownFields) {
  ASSERT_TRUE(write_file(path(), kDockerConfig).ok());
  auto store = CredentialStore::load(path());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->set("127.0.0.1:5000", Credentials{"me", "pw:with:colons", "", ""}).ok());
  ASSERT_TRUE(store->set("docker.io", Credentials{"newhub", "newpass", "", ""}).ok());
  ASSERT_TRUE(store->set("old.example:5000", Credentials{"old2", "s2", "", ""}).ok());
  ASSERT_TRUE(store->erase("ghcr.io").ok());
  ASSERT_TRUE(store->erase("never.stored").ok());
  ASSERT_TRUE(store->save().ok());

  struct stat st {};
  ASSERT_EQ(::stat(path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto json = parse_json(read_file(path()).value(), "saved");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)["psFormat"], "table {{.ID}}");
  EXPECT_EQ((*json)["proxies"]["default"]["httpProxy"], "http://proxy:3128");
  EXPECT_EQ((*json)["currentContext"], "default");
  const Json& auths = (*json)["auths"];
  EXPECT_EQ(auths["127.0.0.1:5000"]["auth"], encode_auth("me", "pw:with:colons"));
  EXPECT_EQ(auths["https://index.docker.io/v1/"]["auth"], encode_auth("newhub", "newpass"));
  EXPECT_FALSE(auths.contains("ghcr.io"));
  // The URL-style key is replaced by the canonical one; fields we do not manage stay.
  EXPECT_FALSE(auths.contains("http://old.example:5000/v1/"));
  EXPECT_EQ(auths["old.example:5000"]["email"], "old@example.com");

  auto reloaded = CredentialStore::load(path());
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->get("127.0.0.1:5000")->password, "pw:with:colons");
  EXPECT_EQ(reloaded->get("docker.io")->username, "newhub");
}

TEST_F(CredentialStoreTest, MissingFileIsEmptyAndSaveCreatesIt) {
  std::string nested = dir_.path() + "/a/b/config.json";
  auto store = CredentialStore::load(nested);
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE(store->get("docker.io").has_value());
  ASSERT_TRUE(store->set("r.example", Credentials{"u", "p", "idtok", ""}).ok());
  ASSERT_TRUE(store->save().ok());
  auto reloaded = CredentialStore::load(nested);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(*reloaded->get("r.example"), (Credentials{"u", "p", "idtok", ""}));
}

TEST_F(CredentialStoreTest, RejectsMalformedFile) {
  ASSERT_TRUE(write_file(path(), "{not json").ok());
  EXPECT_FALSE(CredentialStore::load(path()).ok());
  ASSERT_TRUE(write_file(path(), "[]").ok());
  EXPECT_FALSE(CredentialStore::load(path()).ok());
}

TEST_F(CredentialStoreTest, DefaultPathFallsBackToDockersFile) {
  ScopedEnv berth("BERTH_CONFIG", dir_.path() + "/berth");
  ScopedEnv docker("DOCKER_CONFIG", dir_.path() + "/docker");
  ASSERT_TRUE(make_dirs(dir_.path() + "/docker").ok());
  ASSERT_TRUE(write_file(dir_.path() + "/docker/config.json", kDockerConfig).ok());
  EXPECT_EQ(CredentialStore::default_path(), dir_.path() + "/berth/config.json");

  auto store = CredentialStore::load_default();
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->get("docker.io")->username, "hubuser");
  EXPECT_EQ(store->path(), dir_.path() + "/berth/config.json");
  ASSERT_TRUE(store->set("x.example", Credentials{"a", "b", "", ""}).ok());
  ASSERT_TRUE(store->save().ok());
  // Docker's file is left alone; Berth's now exists and wins.
  EXPECT_EQ(read_file(dir_.path() + "/docker/config.json").value(), kDockerConfig);
  auto again = CredentialStore::load_default();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->get("x.example").has_value());
}

// A docker-credential-<name> helper that keeps its secrets in a JSON-ish directory of files.
void install_fake_helper(const std::string& bin_dir, const std::string& name,
                         const std::string& state_dir) {
  std::string script = R"SH(#!/bin/sh
state=")SH" + state_dir +
                       R"SH("
input=$(cat)
case "$1" in
  store)
    url=$(printf '%s' "$input" | sed -n 's/.*"ServerURL":"\([^"]*\)".*/\1/p')
    key=$(printf '%s' "$url" | tr -c 'a-zA-Z0-9' '_')
    printf '%s' "$input" > "$state/$key" ;;
  get)
    key=$(printf '%s' "$input" | tr -c 'a-zA-Z0-9' '_')
    if [ -f "$state/$key" ]; then cat "$state/$key"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase)
    key=$(printf '%s' "$input" | tr -c 'a-zA-Z0-9' '_')
    if [ -f "$state/$key" ]; then rm "$state/$key"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  *) echo "unknown action"; exit 1 ;;
esac
)SH";
  ASSERT_TRUE(write_file(bin_dir + "/docker-credential-" + name, script, 0755).ok());
}

TEST_F(CredentialStoreTest, CredentialHelpers) {
  std::string bin = dir_.path() + "/bin";
  std::string state = dir_.path() + "/state";
  ASSERT_TRUE(make_dirs(bin).ok());
  ASSERT_TRUE(make_dirs(state).ok());
  install_fake_helper(bin, "berthtest", state);
  const char* old_path = std::getenv("PATH");
  ScopedEnv path_env("PATH", bin + ":" + (old_path ? old_path : "/usr/bin:/bin"));

  ASSERT_TRUE(
      write_file(
          path(),
          R"({"credsStore":"berthtest","credHelpers":{"special.example":"missing"},"auths":{}})")
          .ok());
  auto store = CredentialStore::load(path());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->helper_for("docker.io"), "berthtest");
  EXPECT_EQ(store->helper_for("special.example"), "missing");
  EXPECT_FALSE(store->get("docker.io").has_value());

  ASSERT_TRUE(store->set("docker.io", Credentials{"hub", "s3cret", "", ""}).ok());
  ASSERT_TRUE(store->set("ghcr.io", Credentials{"", "", "an-identity-token", ""}).ok());
  auto hub = store->get("docker.io");
  ASSERT_TRUE(hub.has_value());
  EXPECT_EQ(hub->username, "hub");
  EXPECT_EQ(hub->password, "s3cret");
  auto ghcr = store->get("ghcr.io");
  ASSERT_TRUE(ghcr.has_value());
  EXPECT_EQ(ghcr->identity_token, "an-identity-token");  // stored as Username "<token>"
  EXPECT_TRUE(ghcr->username.empty());

  // The file records the registry but holds no secret.
  ASSERT_TRUE(store->save().ok());
  auto json = parse_json(read_file(path()).value(), "saved");
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE((*json)["auths"].contains("https://index.docker.io/v1/"));
  EXPECT_EQ((*json)["auths"]["https://index.docker.io/v1/"], Json::object());

  ASSERT_TRUE(store->erase("docker.io").ok());
  EXPECT_FALSE(store->get("docker.io").has_value());
  EXPECT_TRUE(store->erase("docker.io").ok());  // nothing left: still fine

  // A configured helper that is not installed: no credentials, and set() fails clearly.
  EXPECT_FALSE(store->get("special.example").has_value());
  auto set = store->set("special.example", Credentials{"u", "p", "", ""});
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message().find("docker-credential-missing"), std::string::npos);
}

TEST_F(CredentialStoreTest, KeyFor) {
  EXPECT_EQ(CredentialStore::key_for("docker.io"), "https://index.docker.io/v1/");
  EXPECT_EQ(CredentialStore::key_for("index.docker.io"), "https://index.docker.io/v1/");
  EXPECT_EQ(CredentialStore::key_for("Registry.Example:5000"), "registry.example:5000");
  EXPECT_EQ(CredentialStore::key_for("https://registry.example/v2/"), "registry.example");
}

}  // namespace
}  // namespace berth::registry
