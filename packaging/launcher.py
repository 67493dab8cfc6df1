"""The packaged app's entry point: the ``coursedesk`` command, window and subcommands alike."""

import sys

from coursedesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
