"""The facade plus what the interface layer adds on top of it: questions in words and impact reports.

    from interface.analyst import Analyst
    g = Analyst()                                   # a graph_api.PolicyGraph: build, departments_for, …
    g.ask("哪些部门负责去库存？")                     # QuestionAnswer
    g.repeal_impact("财税〔2015〕119号")              # ImpactReport

These methods lived on ``graph_api.PolicyGraph`` and imported this layer from below; here the
arrow points down (interface → graph_api) and the facade knows nothing of questions or reports.
"""
from __future__ import annotations

from typing import Any, Iterable

from graph_api import PolicyGraph


class Analyst(PolicyGraph):
    """A :class:`graph_api.PolicyGraph` that also answers questions in words and writes impact reports."""

    def ask(self, question: str):
        """A question in Chinese or English (哪些部门负责去库存？ / who leads 去库存?) → a
        :class:`interface.questions.QuestionAnswer` with the items, a short answer and the named query,
        parameters and SPARQL or Cypher text it ran. An unparseable question raises QueryError listing
        what can be asked."""
        from interface.questions import answer

        return answer(self, question)

    def reform_impact(self, reform: Any, on: Any = None, units: Iterable[str] = ()):
        """Every task whose lead or responsible unit no longer exists after ``reform``, with its successor
        (an interface.report.ImpactReport; the reform is loaded first). ``units`` keeps those units' changes."""
        from interface.report import reform_report

        return reform_report(self, reform, on=on, units=tuple(units))

    def repeal_impact(self, regulation: str, change: str = "repeal", on: Any = None):
        """What repealing or amending ``regulation`` touches, as an interface.report.ImpactReport."""
        from interface.report import repeal_report

        return repeal_report(self, regulation, change=change, on=on)

    def expiry(self, on: Any = None):
        """What lapses on which date (documents' 有效期, task windows), as an interface.report.ImpactReport."""
        from interface.report import expiry_report

        return expiry_report(self, on=on)

    def agency_profile(self, agency: str):
        """One agency's tasks (lead / shared), their deadlines, and its successor after the 2018 reform."""
        from interface.report import agency_profile

        return agency_profile(self, agency)
