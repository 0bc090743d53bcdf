"""What the two RDF backends share."""
from __future__ import annotations

from typing import Mapping

from loaders.graph_rows import GraphRows, Node


def with_stubs(rows: GraphRows, existing: Mapping[str, Node]) -> GraphRows:
    """``rows`` plus the bare node (label and id, no properties) of every node of ``existing`` that
    an edge of ``rows`` touches: an RDF edge needs the IRI of both ends, which the label gives.
    A stub adds only its type and id to its own source's graph, which the store holds already."""
    have = {n.id for n in rows.nodes}
    touched = sorted({e.dst for e in rows.edges} | {e.src for e in rows.edges})
    stubs = [Node(i, existing[i].label, {}, existing[i].source_id) for i in touched
             if i not in have and i in existing]
    return GraphRows(nodes=rows.nodes + stubs, edges=rows.edges)
