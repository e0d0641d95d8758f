// Whiteout spellings: the OCI tar form (layer.md) and the overlayfs on-disk form.
#pragma once

#include <string_view>

namespace berth::store {

// A tar entry ".wh.<name>" deletes <name> from the layers below.
inline constexpr std::string_view kWhiteoutPrefix = ".wh.";
// Names starting ".wh..wh." are metadata (aufs); ".wh..wh..opq" makes its directory opaque.
inline constexpr std::string_view kWhiteoutMetaPrefix = ".wh..wh.";
inline constexpr std::string_view kOpaqueWhiteout = ".wh..wh..opq";

// overlayfs: a whiteout is a 0/0 character device; an opaque directory carries
// <prefix>opaque = "y", where the prefix is "trusted.overlay." (or "user.overlay." for
// mounts with the userxattr option, as rootless overlay uses).
inline constexpr std::string_view kOverlayTrustedPrefix = "trusted.overlay.";
inline constexpr std::string_view kOverlayUserPrefix = "user.overlay.";
inline constexpr std::string_view kOverlayOpaqueSuffix = "opaque";

}  // namespace berth::store
