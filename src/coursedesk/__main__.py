"""``python -m coursedesk``: the same as the ``coursedesk`` command."""

from coursedesk.cli import main

raise SystemExit(main())
