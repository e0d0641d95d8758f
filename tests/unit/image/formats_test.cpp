// Manifests, indexes and configs against the golden files in data/formats.
#include <dirent.h>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "image/image_config.h"
#include "image/manifest.h"
#include "image/media_types.h"

namespace berth::image {
namespace {

std::string golden(const std::string& name) {
  auto text = read_file(std::string(BERTH_TEST_DATA_DIR) + "/formats/" + name);
  EXPECT_TRUE(text.ok()) << name;
  return text.value_or("");
}

TEST(FormatsTest, OciManifestFromSpec) {
  auto m = parse_image_manifest(golden("oci_manifest.json"));
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->media_type, media::kOciManifest);
  EXPECT_TRUE(m->is_oci());
  EXPECT_EQ(m->config.media_type, media::kOciConfig);
  EXPECT_EQ(m->config.size, 7023);
  ASSERT_EQ(m->layers.size(), 3u);
  EXPECT_EQ(m->layers[1].digest.to_string(),
            "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b");
  EXPECT_EQ(m->layers[2].size, 73109);
  ASSERT_TRUE(m->subject);
  EXPECT_EQ(m->subject->size, 7682);
  EXPECT_EQ(m->annotations.at("com.example.key2"), "value2");
  // Serialising and parsing again gives the same manifest.
  auto again = parse_image_manifest(serialize_manifest(*m));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->layers, m->layers);
  EXPECT_EQ(again->config, m->config);
  EXPECT_EQ(again->subject, m->subject);
  EXPECT_EQ(again->annotations, m->annotations);
}

TEST(FormatsTest, DockerManifestAndFieldOrder) {
  auto m = parse_image_manifest(golden("docker_manifest.json"));
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->media_type, media::kDockerManifest);
  EXPECT_FALSE(m->is_oci());
  ASSERT_EQ(m->layers.size(), 1u);
  EXPECT_EQ(m->layers[0].media_type, media::kDockerLayerGzip);
  // Docker's descriptors put size before digest; OCI's digest before size.
  std::string docker = serialize_manifest(*m);
  EXPECT_EQ(
      docker,
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
      R"("config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1457,)"
      R"("digest":"sha256:)" +
          std::string(64, '1') +
          R"("},"layers":[{"mediaType":)"
          R"("application/vnd.docker.image.rootfs.diff.tar.gzip","size":2152262,"digest":"sha256:)" +
          std::string(64, '2') + R"("}]})");
}

TEST(FormatsTest, IndexesAndPlatforms) {
  auto oci = parse_image_index(golden("oci_index.json"));
  ASSERT_TRUE(oci.ok()) << oci.error().to_string();
  ASSERT_EQ(oci->manifests.size(), 2u);
  EXPECT_EQ(oci->manifests[0].platform->architecture, "ppc64le");
  auto list = parse_image_index(golden("docker_manifest_list.json"));
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  EXPECT_EQ(list->media_type, media::kDockerManifestList);
  ASSERT_EQ(list->manifests.size(), 5u);
  EXPECT_EQ(list->manifests[2].platform->variant, "v7");
  EXPECT_EQ(list->manifests[4].platform->os_version, "10.0.17763.5458");
  EXPECT_EQ(list->manifests[4].platform->os_features, std::vector<std::string>{"win32k"});
  auto again = parse_image_index(serialize_index(*list));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->manifests, list->manifests);
  // The right parser for the right document.
  EXPECT_FALSE(parse_image_manifest(golden("oci_index.json")).ok());
  EXPECT_FALSE(parse_image_index(golden("oci_manifest.json")).ok());
  auto any = parse_any_manifest(golden("docker_manifest_list.json"));
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(std::holds_alternative<ImageIndex>(*any));
}

TEST(FormatsTest, MediaTypeFromContentTypeWhenTheDocumentHasNone) {
  std::string doc = R"({"schemaVersion":2,"manifests":[]})";
  auto any = parse_any_manifest(doc, "application/vnd.docker.distribution.manifest.list.v2+json");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(std::get<ImageIndex>(*any).media_type, media::kDockerManifestList);
  auto guessed = parse_any_manifest(doc, "application/json");
  ASSERT_TRUE(guessed.ok());
  EXPECT_EQ(std::get<ImageIndex>(*guessed).media_type, media::kOciIndex);
}

TEST(FormatsTest, ForeignLayers) {
  auto m = parse_image_manifest(golden("foreign_layer_manifest.json"));
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  ASSERT_EQ(m->layers.size(), 2u);
  EXPECT_TRUE(media::is_non_distributable(m->layers[0].media_type));
  EXPECT_FALSE(media::is_non_distributable(m->layers[1].media_type));
  EXPECT_EQ(m->layers[0].urls.size(), 2u);
  EXPECT_TRUE(media::is_layer(m->layers[0].media_type));
  EXPECT_EQ(media::layer_compression(m->layers[0].media_type), store::Compression::kGzip);
  EXPECT_TRUE(media::is_non_distributable(media::kOciLayerNonDistributableZstd));
}

TEST(FormatsTest, SchemaOneIsRefused) {
  auto m = parse_any_manifest(golden("schema1_manifest.json"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), ErrorCode::kUnimplemented);
  EXPECT_NE(m.error().message().find("schema 1 is not supported"), std::string::npos);
  auto signed_type = parse_any_manifest("{}", media::kDockerSchema1SignedManifest);
  ASSERT_FALSE(signed_type.ok());
  EXPECT_EQ(signed_type.error().code(), ErrorCode::kUnimplemented);
}

TEST(FormatsTest, DockerConfigWithEverything) {
  std::string bytes = golden("docker_config.json");
  auto c = parse_image_config(bytes);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->architecture, "amd64");
  EXPECT_EQ(c->docker_version, "20.10.23");
  ASSERT_TRUE(c->config);
  const ContainerConfig& cfg = *c->config;
  EXPECT_EQ(cfg.user, "nobody");
  EXPECT_EQ(cfg.cmd, std::vector<std::string>{"sh"});
  EXPECT_FALSE(cfg.entrypoint.has_value());
  ASSERT_TRUE(cfg.healthcheck);
  EXPECT_EQ(cfg.healthcheck->interval_ns, 30'000'000'000);
  EXPECT_EQ(cfg.healthcheck->retries, 3);
  EXPECT_TRUE(cfg.args_escaped);
  EXPECT_EQ(cfg.on_build, std::vector<std::string>{"RUN echo child"});
  EXPECT_EQ(cfg.stop_signal, "SIGQUIT");
  EXPECT_EQ(cfg.shell, (std::vector<std::string>{"/bin/ash", "-c"}));
  EXPECT_EQ(cfg.volumes, std::vector<std::string>{"/data"});
  EXPECT_EQ(cfg.exposed_ports->size(), 2u);
  EXPECT_EQ(cfg.labels->at("maintainer"), "someone");
  ASSERT_TRUE(c->container_config);
  EXPECT_EQ(c->container_config->hostname, "5d4d8f8f7bd0");
  ASSERT_EQ(c->history.size(), 2u);
  EXPECT_TRUE(c->history[1].empty_layer);
  ASSERT_TRUE(c->created_ns);
  EXPECT_EQ(*c->created_ns % 1'000'000'000, 276543987);
  ASSERT_EQ(c->diff_ids.size(), 1u);
  // Round trip through Berth's writer keeps every field.
  auto again = parse_image_config(serialize_image_config(*c));
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(*again, *c);
}

TEST(FormatsTest, OciConfigFromSpec) {
  auto c = parse_image_config(golden("oci_config.json"));
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->author, "Alyssa P. Hacker <alyspdev@example.com>");
  EXPECT_EQ(c->config->entrypoint, std::vector<std::string>{"/bin/my-app-binary"});
  EXPECT_EQ(c->config->working_dir, "/home/alice");
  EXPECT_EQ(c->diff_ids.size(), 2u);
  EXPECT_EQ(c->history.size(), 3u);
  EXPECT_EQ(c->platform().os, "linux");
  // Inspect's Config: every container.Config field Docker shows, nulls included.
  auto j = container_config_json(*c->config);
  EXPECT_EQ(j["Hostname"], "");
  EXPECT_TRUE(j["OnBuild"].is_null());
  EXPECT_EQ(j["ExposedPorts"].dump(), R"({"8080/tcp":{}})");
  EXPECT_FALSE(j.contains("StopTimeout"));
}

TEST(FormatsTest, EmptyOsReadsAsLinux) {
  auto c = parse_image_config(R"({"architecture":"amd64","rootfs":{"type":"layers"}})");
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->os, "linux");
  EXPECT_TRUE(c->diff_ids.empty());
}

TEST(FormatsTest, InvalidDocuments) {
  DIR* dir = ::opendir((std::string(BERTH_TEST_DATA_DIR) + "/formats").c_str());
  ASSERT_NE(dir, nullptr);
  int checked = 0;
  while (struct dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (!name.starts_with("bad_") || !name.ends_with(".json")) continue;
    std::string base = name.substr(0, name.size() - 5);
    std::string want = std::string(trim(golden(base + ".err")));
    std::string bytes = golden(name);
    Status st;
    if (base.starts_with("bad_config")) {
      auto r = parse_image_config(bytes);
      if (!r.ok()) st = r.error();
    } else {
      auto r = parse_any_manifest(bytes);
      if (!r.ok()) st = r.error();
    }
    ASSERT_FALSE(st.ok()) << name << " was accepted";
    EXPECT_TRUE(st.error().message().starts_with(want))
        << name << ": got \"" << st.error().message() << "\", want a prefix \"" << want << "\"";
    ++checked;
  }
  ::closedir(dir);
  EXPECT_GE(checked, 14);
}

}  // namespace
}  // namespace berth::image
