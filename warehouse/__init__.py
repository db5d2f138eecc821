"""postwatch: warehouse."""
