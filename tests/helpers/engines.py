"""Real database engines for the portability tests: a throw-away PostgreSQL
server and the paths a local Spark session (dbt-spark `method: session`)
keeps its tables and metastore in.

Each helper either returns what the tests need or the reason the machine
cannot provide it. The tests skip with that reason (printed by `-ra`), unless
RFM_REQUIRE_ENGINES=1 (set by `.ci/run`): then a missing engine fails them,
so CI can never pass with the engine tests silently skipped.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

# Debian/Ubuntu keep the server binaries out of PATH, one folder per major version.
POSTGRES_BIN_CANDIDATES = [Path("/usr/lib/postgresql/15/bin"), Path("/usr/local/pgsql/bin")]
POSTGRES_DATABASE = "rfm"
REQUIRE_ENGINES_VARIABLE = "RFM_REQUIRE_ENGINES"


def engines_required() -> bool:
    return os.environ.get(REQUIRE_ENGINES_VARIABLE, "").strip().lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> NoReturn:
    """Skip a test this machine cannot run, or fail it when the engines are required."""
    if engines_required():
        pytest.fail(f"{reason} ({REQUIRE_ENGINES_VARIABLE} is set: the engine tests must run here)", pytrace=False)
    pytest.skip(reason)


def postgres_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: $RFM_POSTGRES_BIN, the usual places, or PATH."""
    configured = os.environ.get("RFM_POSTGRES_BIN")
    candidates = [Path(configured)] if configured else list(POSTGRES_BIN_CANDIDATES)
    on_path = shutil.which("pg_ctl")
    if on_path and not configured:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def java_missing_reason() -> str | None:
    """Why Spark cannot start here, or None when a Java runtime answers."""
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home) / "bin" / "java" if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        return "no Java runtime (java not on PATH and JAVA_HOME unset): Spark needs Java 17"
    done = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return f"`java -version` failed: {done.stderr.strip()[:200]}"
    return None


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A PostgreSQL server in a temporary data directory, on a loopback port.

    PostgreSQL refuses to run as root, so when the tests run as root the
    server runs as the `postgres` system user, in a folder it owns.
    """

    bin_dir: Path
    root: Path
    port: int
    run_as: str | None

    host = "127.0.0.1"
    user = "postgres"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def _run(self, *command: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=timeout,
                              check=False, cwd=self.root)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}{tail}")
        return done

    @classmethod
    def start(cls) -> PostgresServer:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries not found")
        run_as = None
        root = Path(tempfile.mkdtemp(prefix="rfm-postgres-"))
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(root, account.pw_uid, account.pw_gid)
            run_as = "postgres"
        server = cls(bin_dir=bin_dir, root=root, port=free_loopback_port(), run_as=run_as)
        try:
            # Trust on loopback only; C locale and UTF-8 whatever the machine's
            # locale (the SQL sorts text byte-wise itself, see rfm_binary_text).
            server._run(str(bin_dir / "initdb"), "-D", str(server.data_dir), "-U", server.user,
                        "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
            options = (f"-p {server.port} -c listen_addresses={server.host} -k {root} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            server._run(str(bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-o", options,
                        "-l", str(root / "server.log"), "-w", "-t", "60", "start")
            server.psql(f"create database {POSTGRES_DATABASE}")
        except BaseException:
            server.stop()
            raise
        return server

    def psql(self, sql: str, database: str = "postgres") -> str:
        psql = self.bin_dir / "psql"
        return self._run(str(psql if psql.exists() else "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                         "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", database,
                         "-A", "-t", "-c", sql).stdout

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
            subprocess.run([*prefix, str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast",
                            "-w", "-t", "60", "stop"], capture_output=True, check=False, timeout=90)
        # Wait for the postmaster to remove its files before deleting the folder.
        for _ in range(50):
            if not (self.data_dir / "postmaster.pid").exists():
                break
            time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)

    def env(self) -> dict[str, str]:
        """The profile's env vars for the `postgres` target."""
        return {"RFM_TARGET": "postgres", "RFM_POSTGRES_HOST": self.host, "RFM_POSTGRES_PORT": str(self.port),
                "RFM_POSTGRES_USER": self.user, "RFM_POSTGRES_PASSWORD": "",
                "RFM_POSTGRES_DATABASE": POSTGRES_DATABASE}


def postgres_missing_reason() -> str | None:
    """Why a PostgreSQL server cannot be started here, or None."""
    if postgres_bin_dir() is None:
        return ("PostgreSQL server binaries (initdb, pg_ctl) not found in "
                + ", ".join(str(path) for path in POSTGRES_BIN_CANDIDATES) + " or PATH; set RFM_POSTGRES_BIN")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root and `runuser` is missing (needed to start PostgreSQL as `postgres`)"
    return None


@dataclass
class SparkPaths:
    """Where a local Spark session keeps its tables (Parquet) and its Derby metastore."""

    root: Path

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    def env(self) -> dict[str, str]:
        return {"RFM_TARGET": "spark", "RFM_SPARK_WAREHOUSE": str(self.warehouse),
                "RFM_SPARK_METASTORE": str(self.root / "metastore_db"), "RFM_SPARK_DERBY_HOME": str(self.root)}

    def table_files(self, schema: str, table: str) -> Path:
        """A managed table's folder of Parquet files."""
        return self.warehouse / f"{schema}.db" / table
