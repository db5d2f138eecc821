"""postwatch: Prefect flows and the command line."""

import os

# The workplace has no route to Prefect's telemetry endpoint; asking only logs an error.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
