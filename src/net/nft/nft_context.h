// A libnftables context: runs nft script text as one transaction (all of it applies or none
// does) and lists ruleset objects as JSON. Not thread-safe; the firewall serialises use.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"

struct nft_ctx;

namespace berth::net::nft {

class NftContext {
 public:
  static Result<NftContext> create();
  NftContext(NftContext&&) noexcept;
  NftContext& operator=(NftContext&&) noexcept;
  ~NftContext();

  // Runs `commands` (nft syntax, one command per line). The error names the failing command
  // as nft reports it.
  Status run(std::string_view commands);
  // Runs a list command ("list table ip berth") and returns its JSON output; kNotFound when
  // the object does not exist.
  Result<Json> list_json(std::string_view command);

 private:
  explicit NftContext(nft_ctx* ctx) : ctx_(ctx) {}
  Result<std::string> run_capture(std::string_view commands);

  nft_ctx* ctx_ = nullptr;
};

}  // namespace berth::net::nft
