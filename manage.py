#!/usr/bin/env python
import os
import sys

# Commands anyone may run on a fresh checkout with no settings at all: they read a file,
# never the database, and sign nothing, so they need no SECRET_KEY (settings.py then
# leaves it empty, and Django refuses anything that would sign with it).
KEYLESS_COMMANDS = {"tally"}  # the public recount (docs/voting.md)

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    # `manage.py tally …`, and its help: `manage.py help tally`, `manage.py tally --help`.
    asked = sys.argv[2:3] if sys.argv[1:2] == ["help"] else sys.argv[1:2]
    if asked and asked[0] in KEYLESS_COMMANDS:
        os.environ["GONGZHI_KEYLESS_COMMAND"] = asked[0]
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
