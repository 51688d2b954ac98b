/* The admin CLI's subcommands, one file each (tools/cmd_<name>.c). Each takes
 * argv as its own (argv[0] = the subcommand) and returns the exit status. */
#ifndef PG_CLI_H
#define PG_CLI_H

int pg_cmd_check(int argc, char **argv);
int pg_cmd_scan(int argc, char **argv);
int pg_cmd_verify(int argc, char **argv);
int pg_cmd_flush(int argc, char **argv);
int pg_cmd_report(int argc, char **argv);
/* argv[0] = "install" or "uninstall" */
int pg_cmd_install(int argc, char **argv);
/* The developer side (cmd_client.c): argv0 = the program as it was run, for
 * the hooks `client install` writes. */
int pg_cmd_client(int argc, char **argv, const char *argv0);
int pg_cmd_pre_push(int argc, char **argv);
int pg_cmd_pre_commit(int argc, char **argv);
/* argv[0] = "config" */
int pg_cmd_help_config(int argc, char **argv);

#endif
