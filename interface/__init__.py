"""The interface layer: CLI, questions in words, reports, the HTTP server and the local services."""
