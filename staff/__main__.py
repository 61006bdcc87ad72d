"""`python -m staff ...`: the staff command line (staff/cli.py)."""
import sys

from staff.cli import main

sys.exit(main())
