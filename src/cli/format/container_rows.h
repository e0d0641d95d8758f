// docker's ContainerContext fields for one /containers/json entry: what `ps --format` templates
// see and what `{{json .}}` prints.
#pragma once

#include "base/json.h"
#include "cli/format/list_writer.h"

namespace berth::cli {

ListRow container_row(const Json& summary, bool trunc);
// Field → column title for ps tables.
Json container_header();

}  // namespace berth::cli
