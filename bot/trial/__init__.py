"""The trial as data (data/trials/*.yml): its model and loader, the answers composed from it,
and the passages of its sources."""
