"""The password a new local Neo4j install gets must be one neo4j-admin accepts.

neo4j-admin (picocli) reads an argument starting with ``-`` as an option, even from an @file,
and then refuses ``set-initial-password`` with a usage error: a generated password starting
with ``-`` failed a CI run's ``make test`` at the very first step.
"""
from __future__ import annotations

import pytest

from interface.services import neo4j_server
from policykg.errors import ServiceError


def test_generated_passwords_are_letters_and_digits_of_the_asked_length():
    drawn = [neo4j_server.generate_password() for _ in range(2000)]
    assert all(len(p) == 32 and p.isascii() and p.isalnum() for p in drawn)
    assert len(set(drawn)) == len(drawn)


def test_a_chosen_password_starting_with_a_dash_is_refused_before_neo4j_admin_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "-starts-with-a-dash")
    monkeypatch.setattr(neo4j_server, "_password_initialised", lambda home: False)
    ran = []
    monkeypatch.setattr(neo4j_server.subprocess, "run", lambda *a, **k: ran.append(a))
    with pytest.raises(ServiceError, match="starts with '-'"):
        neo4j_server._set_initial_password(tmp_path)
    assert ran == []
