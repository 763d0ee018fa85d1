#!/usr/bin/env python
import os
import sys

# Commands anyone may run on a fresh checkout with no settings at all: they read a file,
# never the database, and sign nothing, so they need no SECRET_KEY (settings.py then
# leaves it empty, and Django refuses anything that would sign with it).
KEYLESS_COMMANDS = {"tally"}  # the public recount (docs/voting.md)

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ["GONGZHI_KEYLESS_COMMAND"] = sys.argv[1]
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
