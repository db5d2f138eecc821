"""The demo site `postwatch demo` serves, and the invented gold articles it serves."""
