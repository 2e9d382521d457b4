/*
 * cli_compare.h — `strex litmus compare A B`: two litmus7 logs side by side.
 *
 * A and B are each a log file or a folder whose *.log files are read
 * together as one log (a campaign). Prints litmus_log_compare's table on
 * stdout. Exit status: 0 the logs agree, 1 they disagree, 2 a usage or
 * read error (one line on stderr, "FILE:LINE: what" for a bad log).
 */
#ifndef LITMUS_CLI_COMPARE_H
#define LITMUS_CLI_COMPARE_H

/* argv[0] is the subcommand's own name ("compare"), then the two paths. */
int litmus_cli_compare(int argc, char **argv);

#endif
