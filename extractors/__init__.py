"""postwatch: extractors."""
