"""A local Neo4j Community 5.26 (LTS) server, without Docker.

Where it comes from
-------------------
Neo4j does not publish its ``neo4j-community-*-unix.tar.gz`` to Maven Central
(the assembly's ``maven-assembly-plugin`` runs with ``<attach>false</attach>``;
``org.neo4j.assembly:neo4j-community:5.26.x:tar.gz:unix`` is "not found").
What Maven Central does hold is every jar of that distribution:

* ``org.neo4j.assembly:neo4j-community-standalone:<version>:pom`` — the pom the
  tarball is built from; its runtime dependency tree *is* the tarball's ``lib/``
  (server, bolt, cypher, cypher-shell, bootloader ``neo4j-bootcheck``, ...);
* ``org.neo4j.client:neo4j-browser:<browser version>`` — Neo4j Browser, a jar
  whose ``browser/`` resources the server mounts at ``/browser``.

:func:`install` asks Maven (``dependency:copy-dependencies``) for exactly
those into ``<services_dir>/neo4j-community-<version>/lib`` and writes the
small rest of the distribution itself: ``bin/neo4j`` and ``bin/neo4j-admin``
(the same launchers the tarball's appassembler generates: ``java -cp 'lib/*'
org.neo4j.server.startup.Neo4jBoot|Neo4jAdminBoot``), ``conf/neo4j.conf`` and
the two log4j2 files. The server that runs is Neo4j's own
``org.neo4j.server.CommunityEntryPoint``, started and stopped by Neo4j's own
bootloader (``bin/neo4j start|stop``).

The password is ``NEO4J_PASSWORD`` when set; otherwise :func:`install` generates a random one and keeps
it in :func:`policykg.config.neo4j_password_file` (``<services_dir>/neo4j-password``, mode 0600). It is
set with ``neo4j-admin dbms set-initial-password`` (through an argument file, not the command line)
before the first start and never printed. An install from before the password file runs with the
legacy password, which its next :func:`start` writes into the file.
"""
from __future__ import annotations

import functools
import json
import os
import re
import secrets
import shutil
import socket
import string
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from policykg import config
from policykg.errors import ServiceError

#: Newest 5.26.x (LTS) whose artifacts resolve on Maven Central (checked 2026-11).
DEFAULT_VERSION = "5.26.30"
#: Newest Neo4j Browser jar on Maven Central (org.neo4j.client:neo4j-browser).
DEFAULT_BROWSER_VERSION = "5.24.0"
DISTRIBUTION_COORDINATES = "org.neo4j.assembly:neo4j-community-standalone:{version}:pom"
BROWSER_COORDINATES = "org.neo4j.client:neo4j-browser:{version}:jar"
MAVEN_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"

HOST = "127.0.0.1"
BOLT_PORT = 7687  # defaults; POLICYKG_NEO4J_BOLT_PORT / POLICYKG_NEO4J_HTTP_PORT run a second server beside
HTTP_PORT = 7474
HEAP_INITIAL = "512m"
HEAP_MAX = "1g"
PAGECACHE = "256m"

MARKER = ".policykg-install.json"
_JVM_CANDIDATES = (
    "/usr/lib/jvm/java-17-openjdk-amd64",
    "/usr/lib/jvm/java-21-openjdk-amd64",
)
_SUPPORTED_JAVA = (17, 21)  # what Neo4j 5.26 accepts


def version() -> str:
    """The Neo4j version to install/run (``POLICYKG_NEO4J_VERSION`` overrides)."""
    return os.environ.get("POLICYKG_NEO4J_VERSION", DEFAULT_VERSION)


def browser_version() -> str:
    return os.environ.get("POLICYKG_NEO4J_BROWSER_VERSION", DEFAULT_BROWSER_VERSION)


def neo4j_home() -> Path:
    return config.services_dir() / f"neo4j-community-{version()}"


def bolt_port() -> int:
    return int(os.environ.get("POLICYKG_NEO4J_BOLT_PORT", BOLT_PORT))


def http_port() -> int:
    return int(os.environ.get("POLICYKG_NEO4J_HTTP_PORT", HTTP_PORT))


def ports() -> dict[str, int]:
    """The ports this server listens on, by protocol (status shows who holds each)."""
    return {"bolt": bolt_port(), "http": http_port()}


def bolt_url() -> str:
    return f"bolt://{HOST}:{bolt_port()}"


def http_url() -> str:
    return f"http://{HOST}:{http_port()}"


def browser_url() -> str:
    return f"{http_url()}/browser/"


def log_file(home: Path | None = None) -> Path:
    """Neo4j's user log; ``debug.log`` beside it has the details."""
    return (home or neo4j_home()) / "logs" / "neo4j.log"


def install_log() -> Path:
    return config.services_dir() / "neo4j-install.log"


@dataclass(frozen=True)
class Neo4jStatus:
    installed: bool
    running: bool
    version: str | None
    home: Path
    bolt_url: str
    http_url: str
    browser_url: str
    pid: int | None
    bolt_listening: bool
    http_listening: bool
    log_file: Path

    def lines(self) -> list[str]:
        state = "running" if self.running else "stopped"
        if self.running and not self.bolt_listening:
            state = "starting"
        out = [
            f"neo4j: {'installed' if self.installed else 'not installed'}, {state}"
            + (f" (pid {self.pid})" if self.pid else ""),
            f"  version: {self.version or '-'}",
            f"  home:    {self.home}",
            f"  bolt:    {self.bolt_url}" + ("" if self.bolt_listening else " (not listening)"),
            f"  http:    {self.http_url}" + ("" if self.http_listening else " (not listening)"),
            f"  browser: {self.browser_url}",
            f"  log:     {self.log_file}",
        ]
        return out


# ----------------------------------------------------------------------------
# helpers


def _port_open(port: int, host: str = HOST, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@functools.lru_cache(maxsize=None)
def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major


def java_home() -> str:
    """A JDK that Neo4j 5.26 accepts (17 or 21): $JAVA_HOME if it is one, else the system's."""
    candidates: list[str] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.environ["JAVA_HOME"])
    candidates.extend(_JVM_CANDIDATES)
    jvm_dir = Path("/usr/lib/jvm")
    if jvm_dir.is_dir():
        candidates.extend(str(p) for p in sorted(jvm_dir.iterdir()))
    java_on_path = shutil.which("java")
    if java_on_path:
        candidates.append(str(Path(os.path.realpath(java_on_path)).parent.parent))
    seen: set[str] = set()
    for cand in candidates:
        if cand in seen:
            continue
        seen.add(cand)
        java = Path(cand) / "bin" / "java"
        if java.is_file() and os.access(java, os.X_OK) and _java_major(str(java)) in _SUPPORTED_JAVA:
            return cand
    raise ServiceError(
        "No Java 17 or 21 found for Neo4j 5.26 (looked at $JAVA_HOME, /usr/lib/jvm/*, java on PATH). "
        "Install one, e.g. `apt-get install openjdk-17-jre-headless`, or set JAVA_HOME."
    )


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["JAVA_HOME"] = java_home()
    env["NEO4J_HOME"] = str(home)
    env["NEO4J_CONF"] = str(home / "conf")
    # The bootloader JVM honours JAVA_OPTS only for neo4j-admin; keep it clean.
    env.pop("JAVA_TOOL_OPTIONS", None)
    return env


def admin_env() -> dict[str, str]:
    """The environment ``bin/neo4j-admin`` of the local install runs with (Java, NEO4J_HOME, NEO4J_CONF)."""
    return _env(neo4j_home())


def _redact(text: str) -> str:
    pw = config.neo4j_settings().password
    return text.replace(pw, "***") if pw else text


def _tail(path: Path, lines: int = 25) -> str:
    try:
        content = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return _redact(re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(content[-lines:])))


def _read_pid(home: Path) -> int | None:
    pid_file = home / "run" / "neo4j.pid"
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"neo4j" not in cmdline.lower() and b"java" not in cmdline:
            return None
    except OSError:
        pass
    return pid


def _is_installed(home: Path) -> bool:
    return (home / MARKER).is_file() and (home / "bin" / "neo4j").is_file()


def _installed_version(home: Path) -> str | None:
    try:
        return json.loads((home / MARKER).read_text())["neo4j_version"]
    except (OSError, ValueError, KeyError):
        return None


# ----------------------------------------------------------------------------
# files that make up the distribution besides lib/

_POM = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by interface.services.neo4j_server: the runtime dependency tree of the
     Neo4j Community standalone assembly is the distribution's lib/ directory. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.policykg</groupId>
  <artifactId>neo4j-community-lib</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j.assembly</groupId>
      <artifactId>neo4j-community-standalone</artifactId>
      <version>{version}</version>
      <type>pom</type>
    </dependency>
    <dependency>
      <groupId>org.neo4j.client</groupId>
      <artifactId>neo4j-browser</artifactId>
      <version>{browser_version}</version>
    </dependency>
  </dependencies>
</project>
"""

_LAUNCHER = """#!/bin/sh
# Launcher for {name}, written by interface.services.neo4j_server; it does what the
# appassembler script in Neo4j's tarball does: Neo4j's bootloader on lib/*.
SELF=$(readlink -f "$0")
BASEDIR=$(cd "$(dirname "$SELF")/.." && pwd)
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVACMD="$JAVA_HOME/bin/java"
else
  JAVACMD=$(command -v java)
fi
if [ -z "$JAVACMD" ] || [ ! -x "$JAVACMD" ]; then
  echo "Error: no java found; set JAVA_HOME to a Java 17 or 21 JDK." 1>&2
  exit 1
fi
: "${{NEO4J_HOME:=$BASEDIR}}"
export NEO4J_HOME
exec "$JAVACMD" -Xmx128m \\
  -classpath "$BASEDIR/lib/*" \\
  -Dapp.name="{name}" \\
  -Dapp.pid="$$" \\
  -Dapp.repo="$BASEDIR/lib" \\
  -Dapp.home="$BASEDIR" \\
  -Dbasedir="$BASEDIR" \\
  {main_class} "$@"
"""

_LAUNCHERS = {
    "neo4j": "org.neo4j.server.startup.Neo4jBoot",
    "neo4j-admin": "org.neo4j.server.startup.Neo4jAdminBoot",
    "cypher-shell": "org.neo4j.shell.Main",
}

_JVM_ADDITIONAL = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)


def neo4j_conf() -> str:
    """The ``conf/neo4j.conf`` that :func:`install` writes (no secrets in it)."""
    lines = [
        "# Written by interface.services.neo4j_server (python -m interface.services neo4j install);",
        "# it is rewritten on every install, so change the module rather than this file.",
        "",
        "# Loopback only.",
        f"server.default_listen_address={HOST}",
        f"server.default_advertised_address={HOST}",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address={HOST}:{bolt_port()}",
        f"server.bolt.advertised_address={HOST}:{bolt_port()}",
        "server.bolt.tls_level=DISABLED",
        "# HTTP serves Neo4j Browser at /browser/ (and / redirects there).",
        "server.http.enabled=true",
        f"server.http.listen_address={HOST}:{http_port()}",
        f"server.http.advertised_address={HOST}:{http_port()}",
        "server.https.enabled=false",
        "",
        "dbms.security.auth_enabled=true",
        "dbms.usage_report.enabled=false",
        "server.directories.import=import",
        "# LOAD CSV may not read local files (user Cypher refuses LOAD CSV anyway)",
        "dbms.security.allow_csv_import_from_file_urls=false",
        "db.tx_log.rotation.retention_policy=1 days",
        "# Transaction log files are preallocated at this size (default 256m, per database).",
        "db.tx_log.rotation.size=32m",
        "",
        "# Modest memory: the machine has 2 cores shared with the test suite.",
        f"server.memory.heap.initial_size={HEAP_INITIAL}",
        f"server.memory.heap.max_size={HEAP_MAX}",
        f"server.memory.pagecache.size={PAGECACHE}",
        "",
        "server.logs.config=conf/server-logs.xml",
        "server.logs.user.config=conf/user-logs.xml",
        "",
    ]
    from interface.services.neo4j_browser import browser_conf_lines  # style at connect, guides, no telemetry

    lines += browser_conf_lines() + [""]
    lines += [f"server.jvm.additional={flag}" for flag in _JVM_ADDITIONAL]
    return "\n".join(lines) + "\n"


def _rolling(name: str, file: str, layout: str, keep: int) -> str:
    logs = "${config:server.directories.logs}"
    return (
        f'    <RollingRandomAccessFile name="{name}" fileName="{logs}/{file}"\n'
        f'                             filePattern="${logs}/{file}.%02i">\n'
        f"      {layout}\n"
        '      <Policies><SizeBasedTriggeringPolicy size="20 MB"/></Policies>\n'
        f'      <DefaultRolloverStrategy fileIndex="min" max="{keep}"/>\n'
        "    </RollingRandomAccessFile>\n"
    )


_PATTERN = '<PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSSZ}{GMT+0} %-5p %m%n"/>'
_DEBUG_PATTERN = '<Neo4jDebugLogLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSSZ}{GMT+0} %-5p [%c{1.}] %m%n"/>'


def _server_logs_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- log4j2 configuration of the server logs; written by policykg. -->\n"
        '<Configuration status="ERROR" monitorInterval="30" packages="org.neo4j.logging.log4j">\n'
        "  <Appenders>\n"
        + _rolling("DebugLog", "debug.log", _DEBUG_PATTERN, 5)
        + _rolling("HttpLog", "http.log", _PATTERN, 3)
        + _rolling("QueryLog", "query.log", _PATTERN, 3)
        + _rolling("SecurityLog", "security.log", _PATTERN, 3)
        + "  </Appenders>\n"
        "  <Loggers>\n"
        '    <Root level="INFO"><AppenderRef ref="DebugLog"/></Root>\n'
        '    <Logger name="QueryLogger" level="INFO" additivity="false"><AppenderRef ref="QueryLog"/></Logger>\n'
        '    <Logger name="HttpLogger" level="INFO" additivity="false"><AppenderRef ref="HttpLog"/></Logger>\n'
        '    <Logger name="SecurityLogger" level="INFO" additivity="false"><AppenderRef ref="SecurityLog"/></Logger>\n'
        "  </Loggers>\n"
        "</Configuration>\n"
    )


def _user_logs_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- log4j2 configuration of neo4j.log; written by policykg. -->\n"
        '<Configuration status="ERROR" monitorInterval="30" packages="org.neo4j.logging.log4j">\n'
        "  <Appenders>\n"
        + _rolling("Neo4jLog", "neo4j.log", _PATTERN, 5)
        + '    <Console name="ConsoleAppender" target="SYSTEM_OUT">\n'
        f"      {_PATTERN}\n"
        "    </Console>\n"
        "  </Appenders>\n"
        "  <Loggers>\n"
        '    <Root level="INFO">\n'
        '      <AppenderRef ref="Neo4jLog"/>\n'
        '      <AppenderRef ref="ConsoleAppender"/>\n'
        "    </Root>\n"
        "  </Loggers>\n"
        "</Configuration>\n"
    )


def _write_if_changed(path: Path, content: str, mode: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.read_text(encoding="utf-8") == content:
            return
    except OSError:
        pass
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(content, encoding="utf-8")
    if mode is not None:
        tmp.chmod(mode)
    tmp.replace(path)


def _write_layout(home: Path) -> None:
    for sub in ("bin", "conf", "data", "import", "logs", "plugins", "run", "licenses"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    for name, main_class in _LAUNCHERS.items():
        _write_if_changed(
            home / "bin" / name, _LAUNCHER.format(name=name, main_class=main_class), 0o755
        )


def configure(home: Path | None = None) -> Path:
    """(Re)write ``conf/`` of an installed Neo4j; returns the conf file."""
    home = home or neo4j_home()
    _write_if_changed(home / "conf" / "neo4j.conf", neo4j_conf())
    _write_if_changed(home / "conf" / "server-logs.xml", _server_logs_xml())
    _write_if_changed(home / "conf" / "user-logs.xml", _user_logs_xml())
    return home / "conf" / "neo4j.conf"


def _password_initialised(home: Path) -> bool:
    data = home / "data"
    return (data / "dbms" / "auth.ini").exists() or (data / "databases" / "system").exists()


def _write_secret(path: Path, value: str) -> bool:
    """Create ``path`` with mode 0600 holding ``value``; False when it already exists (left as is)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    return True


def _install_password() -> str:
    """The password a new install gets: NEO4J_PASSWORD, else the password file's, which is created now
    with a random password (mode 0600) when there is none."""
    if os.environ.get("NEO4J_PASSWORD"):
        return os.environ["NEO4J_PASSWORD"]
    _write_secret(config.neo4j_password_file(), generate_password())
    return config.neo4j_password()


_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def generate_password(length: int = 32) -> str:
    """A random password of letters and digits only: neo4j-admin's argument parser takes a password
    starting with ``-`` for an option and refuses the call (token_urlsafe starts with ``-`` once in 64
    draws, which failed a CI run)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def remember_password() -> None:
    """After an authenticated round trip: an install from before the password file (no file, no
    NEO4J_PASSWORD, so the legacy password worked) gets the file with that password; a file readable
    by others is made 0600."""
    f = config.neo4j_password_file()
    if f.exists():
        if f.stat().st_mode & 0o077:
            f.chmod(0o600)
    elif not os.environ.get("NEO4J_PASSWORD"):
        _write_secret(f, config.neo4j_password())


def _set_initial_password(home: Path) -> None:
    if _password_initialised(home):
        return
    password = _install_password()
    if len(password) < 8:
        raise ServiceError(
            "NEO4J_PASSWORD is shorter than 8 characters, which Neo4j 5 refuses "
            "(dbms.security.auth_minimum_password_length=8); choose a longer one."
        )
    if password.startswith("-"):
        raise ServiceError(
            "NEO4J_PASSWORD starts with '-', which neo4j-admin reads as an option and refuses; "
            "choose one that starts with another character."
        )
    # through an argument file (picocli's @file), so the password is not on the command line for `ps`
    quoted = '"' + password.replace("\\", "\\\\").replace('"', '\\"') + '"'
    argfile = home / "run" / "initial-password.args"
    argfile.unlink(missing_ok=True)
    _write_secret(argfile, quoted)
    try:
        proc = subprocess.run(
            [str(home / "bin" / "neo4j-admin"), "dbms", "set-initial-password", f"@{argfile}"],
            env=_env(home),
            cwd=home,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired as exc:
        raise ServiceError(
            f"`neo4j-admin dbms set-initial-password` did not finish in 300 s; see {home / 'logs'}"
        ) from exc
    finally:
        argfile.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise ServiceError(
            "`neo4j-admin dbms set-initial-password` failed (exit "
            f"{proc.returncode}): {_redact((proc.stdout + proc.stderr).strip())[-2000:]}"
        )


# ----------------------------------------------------------------------------
# public API


def install(force: bool = False) -> Path:
    """Install Neo4j Community :func:`version` under :func:`neo4j_home`; returns the home.

    Idempotent: when the distribution is already there it only re-checks
    ``conf/`` and the initial password (well under a second). ``force=True``
    fetches ``lib/`` again (``data/`` is kept).
    """
    home = neo4j_home()
    if _is_installed(home) and not force:
        configure(home)
        _set_initial_password(home)
        return home

    mvn = shutil.which("mvn")
    if not mvn:
        raise ServiceError(
            "Maven (`mvn`) is not on PATH; it is needed to fetch Neo4j from Maven Central "
            "(apt-get install maven)."
        )
    jhome = java_home()
    services = config.services_dir()
    services.mkdir(parents=True, exist_ok=True)
    build = services / ".neo4j-build"
    staging = services / f".neo4j-community-{version()}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    build.mkdir(parents=True, exist_ok=True)
    (build / "pom.xml").write_text(
        _POM.format(version=version(), browser_version=browser_version()), encoding="utf-8"
    )
    cmd = [
        # -U: retry artifacts whose earlier "not found" Maven cached (e.g. after a network hiccup)
        mvn, "-B", "-q", "-U", "-Dstyle.color=never", "-f", str(build / "pom.xml"),
        f"{MAVEN_DEPENDENCY_PLUGIN}:copy-dependencies",
        "-DincludeScope=runtime",
        "-DexcludeTypes=pom",
        f"-DoutputDirectory={staging / 'lib'}",
    ]
    env = dict(os.environ, JAVA_HOME=jhome)
    log = install_log()
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        try:
            proc = subprocess.run(
                cmd, cwd=build, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=1800
            )
        except subprocess.TimeoutExpired as exc:
            raise ServiceError(f"Maven did not finish fetching Neo4j in 30 min; read {log}") from exc
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise ServiceError(
            f"Maven could not fetch Neo4j {version()} "
            f"({DISTRIBUTION_COORDINATES.format(version=version())} and "
            f"{BROWSER_COORDINATES.format(version=browser_version())}) from Maven Central "
            f"(exit {proc.returncode}); read {log}:\n{_tail(log, 15)}"
        )
    lib = staging / "lib"
    needed = [
        f"neo4j-{version()}.jar",
        f"neo4j-bootcheck-{version()}.jar",
        f"neo4j-server-{version()}.jar",
        f"neo4j-browser-{browser_version()}.jar",
    ]
    missing = [n for n in needed if not (lib / n).is_file()]
    if missing:
        raise ServiceError(f"Maven finished but {', '.join(missing)} is missing from {lib}; read {log}")

    if home.exists():
        # Refresh the binaries in place, keeping data/ and logs/.
        shutil.rmtree(home / "lib", ignore_errors=True)
        lib.rename(home / "lib")
        shutil.rmtree(staging, ignore_errors=True)
    else:
        staging.rename(home)
    _write_layout(home)
    configure(home)
    (home / MARKER).write_text(
        json.dumps(
            {
                "neo4j_version": version(),
                "browser_version": browser_version(),
                "maven": [
                    DISTRIBUTION_COORDINATES.format(version=version()),
                    BROWSER_COORDINATES.format(version=browser_version()),
                ],
                "java_home": jhome,
                "seconds": round(time.monotonic() - started, 1),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    _set_initial_password(home)
    return home


def status() -> Neo4jStatus:
    home = neo4j_home()
    installed = _is_installed(home)
    pid = _read_pid(home) if installed else None
    return Neo4jStatus(
        installed=installed,
        running=pid is not None,
        version=_installed_version(home) if installed else None,
        home=home,
        bolt_url=bolt_url(),
        http_url=http_url(),
        browser_url=browser_url(),
        pid=pid,
        bolt_listening=_port_open(bolt_port()),
        http_listening=_port_open(http_port()),
        log_file=log_file(home),
    )


def _check_bolt() -> None:
    """One authenticated round trip; raises the driver's exceptions."""
    from neo4j import GraphDatabase  # imported lazily: keep import of this module cheap

    settings = config.neo4j_settings()
    with GraphDatabase.driver(
        settings.uri, auth=(settings.user, settings.password), connection_timeout=5.0
    ) as driver:
        driver.verify_connectivity()
        records, _, _ = driver.execute_query("RETURN 1 AS one", database_=settings.database)
        if records[0]["one"] != 1:
            raise ServiceError("Neo4j answered RETURN 1 with something else")


def _http_ok() -> bool:
    try:
        with urllib.request.urlopen(http_url() + "/", timeout=3) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_ready(timeout: float = 180.0) -> None:
    """Wait until Bolt accepts an authenticated ``RETURN 1`` and HTTP answers."""
    from neo4j.exceptions import AuthError, Neo4jError, DriverError

    home = neo4j_home()
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while True:
        try:
            _check_bolt()
            if _http_ok():
                return
            last = ServiceError(f"HTTP {http_url()} does not answer yet")
        except AuthError as exc:
            raise ServiceError(
                f"Neo4j at {config.neo4j_settings().uri} refused the credentials of user "
                f"{config.neo4j_settings().user!r} ({exc.code}). The password is NEO4J_PASSWORD or, unset, "
                f"the one in {config.neo4j_password_file()}, and must be the one set at the first start; "
                "to start over, stop Neo4j and delete "
                f"{home / 'data'} (this deletes the graph)."
            ) from exc
        except (Neo4jError, DriverError, OSError, ServiceError) as exc:
            last = exc
        if _read_pid(home) is None and not _port_open(bolt_port()):
            raise ServiceError(
                f"Neo4j exited while starting; read {log_file(home)} and {home / 'logs' / 'debug.log'}:\n"
                + _tail(log_file(home))
            )
        if time.monotonic() > deadline:
            raise ServiceError(
                f"Neo4j did not accept an authenticated Bolt connection at {config.neo4j_settings().uri} "
                f"within {timeout:.0f} s (last error: {_redact(str(last))}); read {log_file(home)} "
                f"and {home / 'logs' / 'debug.log'}"
            )
        time.sleep(1.0)


def start(wait: bool = True, timeout: float = 180.0, install_if_missing: bool = True) -> Neo4jStatus:
    """Start Neo4j in the background (a quick no-op when it already runs).

    With ``wait`` it returns only once Bolt answers an authenticated ``RETURN 1``.
    """
    home = neo4j_home()
    if install_if_missing:
        install()
    elif not _is_installed(home):
        raise ServiceError(f"Neo4j is not installed at {home}; run `python -m interface.services neo4j install`")
    else:
        configure(home)

    if _read_pid(home) is None:
        # a Neo4j killed without stopping leaves its pid file; when that pid is now a zombie or another
        # program, `neo4j start` would still say "already running", so the stale file goes first
        (home / "run" / "neo4j.pid").unlink(missing_ok=True)
        for port in (bolt_port(), http_port()):
            if _port_open(port):
                raise ServiceError(
                    f"Port {HOST}:{port} is already taken by another process, not by the Neo4j in "
                    f"{home}; stop it first (e.g. `ss -ltnp 'sport = :{port}'` shows which)."
                )
        try:
            proc = subprocess.run(
                [str(home / "bin" / "neo4j"), "start"],
                env=_env(home),
                cwd=home,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=180,
            )
        except subprocess.TimeoutExpired as exc:
            raise ServiceError(f"`neo4j start` hung for 180 s; read {log_file(home)}") from exc
        if proc.returncode != 0:
            raise ServiceError(
                f"`{home / 'bin' / 'neo4j'} start` failed (exit {proc.returncode}): "
                f"{_redact((proc.stdout + proc.stderr).strip())[-2000:]}\nread {log_file(home)} "
                f"and {home / 'logs' / 'debug.log'}"
            )
    if wait:
        wait_ready(timeout)
        remember_password()
    return status()


def stop(timeout: float = 120.0) -> bool:
    """Stop Neo4j; returns False when it was not running."""
    home = neo4j_home()
    if not _is_installed(home) or _read_pid(home) is None:
        return False
    env = _env(home)
    env["NEO4J_SHUTDOWN_TIMEOUT"] = str(int(timeout))
    try:
        proc = subprocess.run(
            [str(home / "bin" / "neo4j"), "stop"],
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout + 60,
        )
    except subprocess.TimeoutExpired as exc:
        raise ServiceError(f"`neo4j stop` did not finish in {timeout + 60:.0f} s; read {log_file(home)}") from exc
    if proc.returncode != 0 or _read_pid(home) is not None:
        raise ServiceError(
            f"`neo4j stop` failed (exit {proc.returncode}): {(proc.stdout + proc.stderr).strip()[-2000:]}; "
            f"read {log_file(home)}"
        )
    return True
