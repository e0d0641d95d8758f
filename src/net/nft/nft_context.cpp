#include "net/nft/nft_context.h"

#include <cerrno>
#include <utility>

#include <nftables/libnftables.h>

#include "base/strings.h"

namespace berth::net::nft {

Result<NftContext> NftContext::create() {
  nft_ctx* ctx = ::nft_ctx_new(NFT_CTX_DEFAULT);
  if (!ctx) return Error(ErrorCode::kInternal, "nft_ctx_new failed");
  if (::nft_ctx_buffer_output(ctx) != 0 || ::nft_ctx_buffer_error(ctx) != 0) {
    ::nft_ctx_free(ctx);
    return Error(ErrorCode::kInternal, "nft: cannot buffer output");
  }
  return NftContext(ctx);
}

NftContext::NftContext(NftContext&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

NftContext& NftContext::operator=(NftContext&& other) noexcept {
  if (this != &other) {
    if (ctx_) ::nft_ctx_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
  }
  return *this;
}

NftContext::~NftContext() {
  if (ctx_) ::nft_ctx_free(ctx_);
}

Result<std::string> NftContext::run_capture(std::string_view commands) {
  std::string buffer(commands);
  int rc = ::nft_run_cmd_from_buffer(ctx_, buffer.c_str());
  std::string output = ::nft_ctx_get_output_buffer(ctx_);
  std::string errors = ::nft_ctx_get_error_buffer(ctx_);
  if (rc != 0) {
    std::string message(trim(errors));
    if (message.empty()) message = "failed";
    ErrorCode code = ErrorCode::kInternal;
    if (message.find("No such file or directory") != std::string::npos) {
      code = ErrorCode::kNotFound;
    } else if (message.find("Operation not permitted") != std::string::npos) {
      code = ErrorCode::kPermissionDenied;
    } else if (message.find("File exists") != std::string::npos) {
      code = ErrorCode::kAlreadyExists;
    }
    return Error(code, "nft: " + message);
  }
  return output;
}

Status NftContext::run(std::string_view commands) {
  TRY(run_capture(commands));
  return ok_status();
}

Result<Json> NftContext::list_json(std::string_view command) {
  unsigned flags = ::nft_ctx_output_get_flags(ctx_);
  ::nft_ctx_output_set_flags(ctx_, flags | NFT_CTX_OUTPUT_JSON);
  auto output = run_capture(command);
  ::nft_ctx_output_set_flags(ctx_, flags);
  if (!output.ok()) return std::move(output).error();
  return parse_json(*output, "nft JSON output");
}

}  // namespace berth::net::nft
