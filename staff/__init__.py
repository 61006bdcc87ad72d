"""Tools for study staff: `python -m staff` (see README, "For study staff")."""
