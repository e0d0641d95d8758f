// Attribute iteration for received netlink messages. libmnl's mnl_attr_for_each macros assign
// a void* and do not compile as C++; these do the same walk, bounds-checked by mnl_attr_ok.
#pragma once

#include <libmnl/libmnl.h>

namespace berth::net::netlink {

// Calls f(const nlattr*) for each attribute after the family header of `header_size` bytes.
// Does nothing when the message is shorter than that header.
template <typename F>
void for_each_attribute(const nlmsghdr* nlh, size_t header_size, F f) {
  if (mnl_nlmsg_get_payload_len(nlh) < header_size) return;
  const char* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh));
  const auto* attr = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, header_size));
  while (mnl_attr_ok(attr, static_cast<int>(tail - reinterpret_cast<const char*>(attr)))) {
    f(attr);
    attr = mnl_attr_next(attr);
  }
}

// Calls f(const nlattr*) for each attribute nested in `nest`.
template <typename F>
void for_each_nested(const nlattr* nest, F f) {
  const char* end = reinterpret_cast<const char*>(nest) + nest->nla_len;
  const auto* attr = static_cast<const nlattr*>(mnl_attr_get_payload(nest));
  while (mnl_attr_ok(attr, static_cast<int>(end - reinterpret_cast<const char*>(attr)))) {
    f(attr);
    attr = mnl_attr_next(attr);
  }
}

}  // namespace berth::net::netlink
