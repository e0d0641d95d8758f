// Plain HTTP(S) downloads with libcurl: `docker import <url>` and foreign layers' urls. Not for
// registries (that is registry::Client, with auth, mirrors and retries).
#pragma once

#include <functional>
#include <string>

#include "base/result.h"
#include "image/registry_api.h"
#include "store/stream.h"

namespace berth::image {

// Downloads `url` into `sink`, following redirects. HTTP errors are kNotFound (404) or
// kUnavailable; a sink error stops the transfer and is returned as is.
using UrlFetcher =
    std::function<Status(const std::string& url, store::Writer& sink, const TransferProgressFn&)>;

Status http_fetch(const std::string& url, store::Writer& sink, const TransferProgressFn& progress);

}  // namespace berth::image
