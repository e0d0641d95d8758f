#include "base/strings.h"
#include "registry/client.h"
#include "registry/client_internal.h"
#include "registry/registry_url.h"

namespace berth::registry {
namespace {

// Where a download stands across attempts and endpoints: what reached the sink, hashed.
struct Download {
  Download(const store::Digest& d, int64_t size, store::Writer& s, ProgressReporter& p)
      : digest(d), expected_size(size), sink(s), progress(p), hasher(d.algorithm()) {}

  const store::Digest& digest;
  int64_t expected_size;
  store::Writer& sink;
  ProgressReporter& progress;
  store::Hasher hasher;
  int64_t written = 0;
};

// "bytes 100-199/200" -> 100.
std::optional<int64_t> content_range_start(const std::optional<std::string>& header) {
  if (!header) return std::nullopt;
  std::string_view v = trim(*header);
  if (!v.starts_with("bytes ")) return std::nullopt;
  v.remove_prefix(6);
  auto start = parse_int64(split_once(v, '-').first);
  return start.ok() ? std::optional<int64_t>(*start) : std::nullopt;
}

// One GET of the blob, from where the download stands.
Status fetch_attempt(Session& session, Endpoint& ep, const Repository& repo, Download& d,
                     AttemptInfo& info) {
  HttpRequest request;
  request.url = blob_path(repo.path, d.digest.to_string());
  int64_t resume_from = d.written;
  if (resume_from > 0) request.headers.add("Range", fmt::format("bytes={}-", resume_from));
  bool started = false;
  int64_t skip = 0;  // bytes of this response the sink already has
  request.on_body = [&](const HttpResponse& head, std::string_view chunk) -> Status {
    if (!started) {
      started = true;
      if (head.status == 206) {
        auto start = content_range_start(head.headers.get("Content-Range"));
        if (!start || *start > resume_from) {
          info.fatal = true;
          return make_error(ErrorCode::kDataLoss, "registry answered range {}- with \"{}\"",
                            resume_from, head.headers.get("Content-Range").value_or(""));
        }
        skip = resume_from - *start;
      } else {
        // The whole blob again (no range support): drop what the sink already has.
        skip = resume_from;
        auto length = head.headers.get("Content-Length");
        auto n = length ? parse_int64(trim(*length)) : Result<int64_t>(int64_t{-1});
        if (d.expected_size >= 0 && n.ok() && *n >= 0 && *n != d.expected_size) {
          info.fatal = true;
          return make_error(ErrorCode::kDataLoss, "blob {} has size {}, expected {}",
                            d.digest.to_string(), *n, d.expected_size);
        }
      }
    }
    if (skip > 0) {
      auto n = static_cast<size_t>(std::min<int64_t>(skip, static_cast<int64_t>(chunk.size())));
      chunk.remove_prefix(n);
      skip -= static_cast<int64_t>(n);
      if (chunk.empty()) return {};
    }
    if (d.expected_size >= 0 && d.written + static_cast<int64_t>(chunk.size()) > d.expected_size) {
      info.fatal = true;
      return make_error(ErrorCode::kDataLoss, "blob {} is larger than the expected {} bytes",
                        d.digest.to_string(), d.expected_size);
    }
    if (auto st = d.sink.write(chunk); !st.ok()) {
      info.fatal = true;
      return st;
    }
    d.hasher.update(chunk);
    d.written += static_cast<int64_t>(chunk.size());
    info.made_progress = true;
    d.progress.bytes("Downloading", d.written);
    return {};
  };
  HttpResponse response =
      TRY(session.send(ep, std::move(request), {repository_scope(repo.path, "pull")}));
  if (response.status == 416 && resume_from > 0 && resume_from == d.expected_size) return {};
  TRY(expect_status(response, {200, 206}, &info));
  return {};
}

}  // namespace

Status Client::fetch_blob(const Repository& repo, const store::Digest& digest,
                          int64_t expected_size, store::Writer& sink, const ProgressFn& progress) {
  TRY(validate_repository_path(repo.path));
  if (digest.is_empty()) return make_error(ErrorCode::kInvalidArgument, "fetch blob: empty digest");
  auto endpoints = TRY(session_->pull_endpoints(repo.registry));
  ProgressReporter reporter(progress, short_id(digest), expected_size);
  Download download(digest, expected_size, sink, reporter);
  TRY(try_endpoints(
      *session_, endpoints,
      [&](Endpoint& ep, AttemptInfo& info) {
        return fetch_attempt(*session_, ep, repo, download, info);
      },
      reporter.retry_notifier()));
  reporter.bytes("Downloading", download.written, true);
  reporter.status("Verifying Checksum");
  if (expected_size >= 0 && download.written != expected_size)
    return make_error(ErrorCode::kDataLoss, "blob {}: got {} bytes, expected {}",
                      digest.to_string(), download.written, expected_size);
  store::Digest actual = download.hasher.digest();
  if (actual != digest)
    return make_error(ErrorCode::kDataLoss, "blob digest mismatch: expected {}, got {}",
                      digest.to_string(), actual.to_string());
  reporter.status("Download complete");
  return {};
}

}  // namespace berth::registry
