"""The build: the step graph and its cache, notebook execution, export, and atomic publishing."""
