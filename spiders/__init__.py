"""postwatch: spiders."""
