"""postwatch: Prefect flows and the command line.

Importing this package sets nothing and starts nothing: the environment a flow needs is
set where flows start (pipeline.runtime, pipeline.prefect_api)."""
