// Every command's factory, and the function that assembles the tree. Commands that exist both at
// the top level and under a management command ("berth ps" and "berth container ls") are built
// twice from the same factory, as docker does.
#pragma once

#include <memory>

#include "cli/core/cli.h"
#include "cli/core/command.h"

namespace berth::cli {

void register_commands(Command& root, Cli& cli);

// Containers.
std::unique_ptr<Command> new_run_command(Cli& cli, bool top_level);
std::unique_ptr<Command> new_create_command(Cli& cli);
std::unique_ptr<Command> new_start_command();
std::unique_ptr<Command> new_stop_command();
std::unique_ptr<Command> new_restart_command();
std::unique_ptr<Command> new_kill_command();
std::unique_ptr<Command> new_rm_command(bool top_level);
std::unique_ptr<Command> new_pause_command();
std::unique_ptr<Command> new_unpause_command();
std::unique_ptr<Command> new_wait_command();
std::unique_ptr<Command> new_logs_command();
std::unique_ptr<Command> new_attach_command();
std::unique_ptr<Command> new_exec_command(Cli& cli, bool top_level);
std::unique_ptr<Command> new_ps_command(bool top_level);
std::unique_ptr<Command> new_container_inspect_command();
std::unique_ptr<Command> new_top_command();
std::unique_ptr<Command> new_stats_command();
std::unique_ptr<Command> new_port_command();
std::unique_ptr<Command> new_rename_command();
std::unique_ptr<Command> new_update_command();
std::unique_ptr<Command> new_cp_command();
std::unique_ptr<Command> new_export_command();
std::unique_ptr<Command> new_diff_command();
std::unique_ptr<Command> new_commit_command();
std::unique_ptr<Command> new_container_prune_command();

// Images.
std::unique_ptr<Command> new_pull_command(bool top_level);
std::unique_ptr<Command> new_push_command(bool top_level);
std::unique_ptr<Command> new_images_command(bool top_level);
std::unique_ptr<Command> new_image_inspect_command();
std::unique_ptr<Command> new_history_command();
std::unique_ptr<Command> new_tag_command();
std::unique_ptr<Command> new_rmi_command(bool top_level);
std::unique_ptr<Command> new_image_prune_command();
std::unique_ptr<Command> new_save_command();
std::unique_ptr<Command> new_load_command();
std::unique_ptr<Command> new_import_command();

// Networks and volumes.
std::unique_ptr<Command> new_network_command();
std::unique_ptr<Command> new_volume_command();

// System.
std::unique_ptr<Command> new_inspect_command();
std::unique_ptr<Command> new_events_command();
std::unique_ptr<Command> new_info_command(bool top_level);
std::unique_ptr<Command> new_version_command();
std::unique_ptr<Command> new_system_df_command();
std::unique_ptr<Command> new_system_prune_command();
std::unique_ptr<Command> new_login_command();
std::unique_ptr<Command> new_logout_command();
std::unique_ptr<Command> new_completion_command();

}  // namespace berth::cli
