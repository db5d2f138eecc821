"""postwatch: pipeline."""
