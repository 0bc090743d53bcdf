"""Named queries (``NAME.rq`` / ``NAME.cypher`` twins) and their runners."""
from queries.loader import NamedQuery, list_queries, load_query

__all__ = ["NamedQuery", "list_queries", "load_query"]
