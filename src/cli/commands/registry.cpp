#include "cli/commands/registry.h"

#include "cli/commands/common.h"

namespace berth::cli {
namespace {

std::unique_ptr<Command> container_group(Cli& cli) {
  auto g = new_group("container", "Manage containers");
  g->group = Group::kManagement;
  g->add(new_attach_command());
  g->add(new_commit_command());
  g->add(new_cp_command());
  g->add(new_create_command(cli));
  g->add(new_diff_command());
  g->add(new_exec_command(cli, false));
  g->add(new_export_command());
  g->add(new_container_inspect_command());
  g->add(new_kill_command());
  g->add(new_logs_command());
  g->add(new_ps_command(false));
  g->add(new_pause_command());
  g->add(new_port_command());
  g->add(new_container_prune_command());
  g->add(new_rename_command());
  g->add(new_restart_command());
  g->add(new_rm_command(false));
  g->add(new_run_command(cli, false));
  g->add(new_start_command());
  g->add(new_stats_command());
  g->add(new_stop_command());
  g->add(new_top_command());
  g->add(new_unpause_command());
  g->add(new_update_command());
  g->add(new_wait_command());
  return g;
}

std::unique_ptr<Command> image_group() {
  auto g = new_group("image", "Manage images");
  g->add(new_history_command());
  g->add(new_import_command());
  g->add(new_image_inspect_command());
  g->add(new_load_command());
  g->add(new_images_command(false));
  g->add(new_image_prune_command());
  g->add(new_pull_command(false));
  g->add(new_push_command(false));
  g->add(new_rmi_command(false));
  g->add(new_save_command());
  g->add(new_tag_command());
  return g;
}

std::unique_ptr<Command> system_group() {
  auto g = new_group("system", "Manage Berth");
  g->add(new_system_df_command());
  g->add(new_events_command());
  g->add(new_info_command(false));
  g->add(new_system_prune_command());
  return g;
}

}  // namespace

void register_commands(Command& root, Cli& cli) {
  // Common commands, in docker's order.
  root.add(new_run_command(cli, true));
  root.add(new_exec_command(cli, true));
  root.add(new_ps_command(true));
  root.add(new_pull_command(true));
  root.add(new_push_command(true));
  root.add(new_images_command(true));
  root.add(new_login_command());
  root.add(new_logout_command());
  root.add(new_version_command());
  root.add(new_info_command(true));

  root.add(container_group(cli));
  root.add(image_group());
  root.add(new_network_command());
  root.add(system_group());
  root.add(new_volume_command());

  root.add(new_attach_command());
  root.add(new_commit_command());
  root.add(new_cp_command());
  root.add(new_create_command(cli));
  root.add(new_diff_command());
  root.add(new_events_command());
  root.add(new_export_command());
  root.add(new_history_command());
  root.add(new_import_command());
  root.add(new_inspect_command());
  root.add(new_kill_command());
  root.add(new_load_command());
  root.add(new_logs_command());
  root.add(new_pause_command());
  root.add(new_port_command());
  root.add(new_rename_command());
  root.add(new_restart_command());
  root.add(new_rm_command(true));
  root.add(new_rmi_command(true));
  root.add(new_save_command());
  root.add(new_start_command());
  root.add(new_stats_command());
  root.add(new_stop_command());
  root.add(new_tag_command());
  root.add(new_top_command());
  root.add(new_unpause_command());
  root.add(new_update_command());
  root.add(new_wait_command());
  root.add(new_completion_command());
}

}  // namespace berth::cli
