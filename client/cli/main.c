/* main.c - the `ferry` command: dispatch to its subcommands */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"Usage: ferry COMMAND [OPTIONS]\n"
	"\n"
	"Ferry is an IKEv2/IPsec VPN client.\n"
	"\n"
	"Commands:\n"
	"  connect --profile FILE|NAME [--secrets FILE] [--json] [--tun NAME] [--no-dns]\n"
	"                 Connect and stay in the foreground, printing the negotiation as it\n"
	"                 happens, until Ctrl-C (or SIGTERM): then send DELETE, remove routes,\n"
	"                 restore DNS and close the TUN device.  Needs root.\n"
	"                 --json prints one JSON object per event instead.\n"
	"                 Secrets come from --secrets FILE ([secrets] psk=..., readable by its\n"
	"                 owner only), the stored profile's secrets, or a prompt on the\n"
	"                 terminal, never from the command line.\n"
	"                 First undoes what a killed or crashed ferry left behind (see cleanup).\n"
	"  status         Show the running connections: phase, gateway, algorithms, virtual\n"
	"                 addresses, DNS, routes, traffic counters and uptime (exit 1 when none).\n"
	"  cleanup        Undo what a ferry that was killed (SIGKILL) or crashed left behind: put\n"
	"                 back the resolv.conf (or systemd-resolved settings) it replaced, remove\n"
	"                 its routes and TUN device, and say what was done.  Each connection\n"
	"                 keeps that record, readable by root only, in /run/ferry.  Needs root.\n"
	"  import FILE [--name NAME] [--format FORMAT]\n"
	"                 Store a profile from a Ferry keyfile, a strongSwan .sswan file, an\n"
	"                 Apple .mobileconfig or a NetworkManager strongswan/libreswan\n"
	"                 connection, and list what could not be carried over.  A profile with\n"
	"                 the same UUID is replaced (and reported).\n"
	"  list           List the stored profiles.\n"
	"  show PROFILE   Print a stored profile's settings (never its secrets).\n"
	"  export PROFILE --format sswan|mobileconfig|keyfile [--output FILE] [--with-secrets]\n"
	"                 Write a stored profile in another format.\n"
	"  delete PROFILE Remove a stored profile, its secrets and its certificate files.\n"
	"\n"
	"Profiles live in $FERRY_PROFILE_DIR, else /etc/ferry for root and\n"
	"$XDG_CONFIG_HOME/ferry for other users; every profile command takes --profile-dir DIR.\n"
	"\n"
	"Options:\n"
	"  -h, --help     Show this help (ferry connect --help: the command's options)\n"
	"  --version      Show the version\n"
	"\n"
	"Exit codes:\n"
	"  0    the tunnel was up and ended normally (Ctrl-C, or the gateway closed it)\n"
	"  1    ferry status: no connection is running\n"
	"  2    usage error (bad command line)\n"
	"  3    bad profile or secrets file (the message names the file and key)\n"
	"  4    gateway unreachable: no answer within the retransmission budget, or its\n"
	"       name does not resolve (the message names the address)\n"
	"  5    no proposal chosen (the message shows both sides' offers as far as known)\n"
	"  6    the gateway rejected our authentication (wrong pre-shared key or identity)\n"
	"  7    the gateway failed our authentication check (bad AUTH, identity mismatch)\n"
	"  8    other protocol failure, or an error notification from the gateway\n"
	"  9    local system error (TUN device, sockets, routes, DNS)\n"
	"  130  interrupted by the user before the tunnel came up\n"
	"\n"
	"Environment:\n"
	"  FERRY_RUN_DIR                where connections keep their crash records (/run/ferry)\n"
	"  FERRY_RETRANSMIT_TRIES       sends of one IKE request before giving up (default 5)\n"
	"  FERRY_RETRANSMIT_TIMEOUT_MS  first retransmission timeout, doubling (default 1000)\n"
	"  G_MESSAGES_DEBUG=ferry-ike   protocol trace (never shows keys or secrets)\n";

int
main(int argc, char **argv)
{
	int code;

	setlocale(LC_ALL, "");
	if (argc < 2)
		return cli_usage_error("no command given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("ferry %s\n", PACKAGE_VERSION);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "connect") == 0)
		return cli_connect(argc - 1, argv + 1);
	if (strcmp(argv[1], "cleanup") == 0)
		return cli_cleanup(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return cli_status(argc - 1, argv + 1);
	code = cli_profiles(argc - 1, argv + 1);
	if (code >= 0)
		return code;
	return cli_usage_error("unknown command '%s'", argv[1]);
}
