"""Neo4j Browser settings for the local server: the policykg style at every connect.

``neo4j/policykg.grass`` (captions and colours per label) is turned into one
``browser.post_connect_cmd=style {…JSON…}`` line of ``conf/neo4j.conf``: Neo4j
Browser runs that command after every successful connect, and ``:style`` accepts
grass either as text or as JSON (Browser's ``parseGrass`` tries JSON first). JSON
because Browser splits ``post_connect_cmd`` at semicolons outside quotes, and
grass text is full of them.

Also written: ``browser.remote_content_hostname_whitelist`` (so ``:guide`` /
``:play`` / ``:style`` may fetch from this machine, by name or by 127.0.0.1) and
``client.allow_telemetry=false`` (no product-usage calls from a closed network;
no banner asking about them).

``POLICYKG_BROWSER_STYLE=off`` leaves the style out (a connect then keeps
whatever style the user's Browser has).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from policykg import config
from policykg.errors import ServiceError

#: The Browser style file (README, "Exploring in Neo4j Browser").
GRASS_FILE = config.PROJECT_ROOT / "neo4j" / "policykg.grass"
#: Hosts Browser may fetch guides and styles from (Neo4j's default is guides.neo4j.com,localhost).
REMOTE_CONTENT_HOSTS = "guides.neo4j.com,localhost,127.0.0.1"


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Grass text → ``{"node.Task": {"color": "#F79767", "caption": "{title}", …}, …}``.

    The same reading as Neo4j Browser's own parser: selectors lose their
    whitespace, quotes are dropped (so ``caption: "{title}"`` gives ``{title}``),
    braces inside quotes are text, and a declaration is ``name: value`` ending at
    ``;``.
    """
    rules: dict[str, dict[str, str]] = {}
    selector, body = "", ""
    in_body = in_quote = False
    for ch in text:
        if ch in "\"'":
            in_quote = not in_quote
            continue
        if ch == "{" and not in_quote:
            if in_body:
                raise ServiceError(f"grass: '{{' inside the rule of {selector!r}")
            in_body = True
            continue
        if ch == "}" and not in_quote:
            if not in_body:
                raise ServiceError("grass: '}' without a rule")
            decls: dict[str, str] = {}
            for decl in body.split(";"):
                parts = decl.split(":")
                if len(parts) == 2 and parts[0].strip():
                    decls[parts[0].strip()] = parts[1].strip()
            rules[selector] = decls
            selector, body, in_body = "", "", False
            continue
        if in_body:
            body += ch
        elif not ch.isspace():
            selector += ch
    if in_body or in_quote:
        raise ServiceError(f"grass: the rule of {selector!r} is not closed")
    return rules


def post_connect_cmd(grass_file: Path = GRASS_FILE) -> str | None:
    """``style {…}`` for ``browser.post_connect_cmd``; None when the file is absent or style is off."""
    if os.environ.get("POLICYKG_BROWSER_STYLE", "on").strip().lower() in {"0", "off", "false", "no"}:
        return None
    try:
        text = grass_file.read_text(encoding="utf-8")
    except OSError:
        return None
    rules = parse_grass(text)
    if not rules:
        return None
    cmd = "style " + json.dumps(rules, ensure_ascii=True, separators=(",", ":"))
    # Browser splits post_connect_cmd at ';' outside quotes; JSON strings are quoted, but be sure.
    if ";" in cmd or "\n" in cmd:
        raise ServiceError(f"{grass_file}: a value holds ';' or a newline, which post_connect_cmd cannot carry")
    return cmd


def browser_conf_lines(grass_file: Path = GRASS_FILE) -> list[str]:
    """The lines :func:`interface.services.neo4j_server.neo4j_conf` adds for Neo4j Browser."""
    lines = [
        "# Neo4j Browser (interface.services.neo4j_browser): the neo4j/policykg.grass style at every",
        "# connect, guides and styles from this machine (:guide http://localhost:8001/guide.html),",
        "# no product-usage telemetry.",
        f"browser.remote_content_hostname_whitelist={REMOTE_CONTENT_HOSTS}",
        "client.allow_telemetry=false",
    ]
    cmd = post_connect_cmd(grass_file)
    if cmd:
        lines.append(f"browser.post_connect_cmd={cmd}")
    return lines
