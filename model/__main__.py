"""`python -m model ...` is the same as the `stationplan` command."""

from model.cli.commands import main

raise SystemExit(main())
